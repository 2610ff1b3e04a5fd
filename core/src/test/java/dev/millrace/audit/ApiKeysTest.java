package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private final ApiKeys keys = ApiKeys.parse(List.of("ledger:s3cr3t-one", "s3cr3t-two"));

    @Test
    void aKnownKeyGivesItsIdAndNeverTheKey() {
        assertThat(keys.idOf("s3cr3t-one")).contains("ledger");
        assertThat(keys.idOf("s3cr3t-two"))
                .hasValueSatisfying(
                        id -> assertThat(id).startsWith("key-").doesNotContain("s3cr3t"));
        assertThat(keys.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void missingOrUnknownKeysHaveNoId() {
        assertThat(keys.idOf(null)).isEmpty();
        assertThat(keys.idOf("")).isEmpty();
        assertThat(keys.idOf("s3cr3t-on")).isEmpty();
        assertThat(keys.idOf("ledger:s3cr3t-one")).isEmpty();
    }

    @Test
    void theDerivedIdIsStable() {
        assertThat(ApiKeys.parse(List.of("abc")).idOf("abc"))
                .isEqualTo(ApiKeys.parse(List.of("abc")).idOf("abc"));
    }
}
