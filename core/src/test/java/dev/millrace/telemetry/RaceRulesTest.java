package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RaceRulesTest {
    private static final RaceRules RULES =
            new RaceRules(
                    Duration.ofSeconds(5), null, 10, Duration.ofSeconds(5), Duration.ofMinutes(1));
    private static final long ARRIVED = 1_767_225_600_000L;

    private static byte[] fixAt(long timestamp) {
        return FixJson.write(new Fix(timestamp, 3, 52.07, -1.02));
    }

    @Test
    void aFixUpToTheMaximumLeadAheadOfItsRecordIsRead() {
        assertThat(RULES.fix(fixAt(ARRIVED + 60_000), ARRIVED).timestamp())
                .isEqualTo(ARRIVED + 60_000);
        assertThat(RULES.fix(fixAt(0), ARRIVED).timestamp()).isZero();
    }

    @Test
    void aFixFurtherAheadIsRefusedWithHowFar() {
        assertThatThrownBy(() -> RULES.fix(fixAt(ARRIVED + 60_001), ARRIVED))
                .isInstanceOf(MalformedFixException.class)
                .hasMessage(
                        "timestamp 1767225660001 (2026-01-01T00:01:00.001Z) runs 60001 ms ahead of"
                                + " the time the fix reached Kafka (2026-01-01T00:00:00Z);"
                                + " telemetry.max-lead allows 60000 ms");
    }

    @Test
    void aRecordWithoutATimeSetsNoBound() {
        assertThat(RULES.fix(fixAt(Long.MAX_VALUE / 2), -1).timestamp())
                .isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void aPayloadThatIsNoFixIsRefusedAsBefore() {
        assertThatThrownBy(() -> RULES.fix("[]".getBytes(), ARRIVED))
                .isInstanceOf(MalformedFixException.class)
                .hasMessage("not a JSON object");
    }
}
