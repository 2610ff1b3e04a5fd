package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Wis2TopicsTest {
    private static final String ORIGIN =
            "origin/a/wis2/ca-eccc-msc/data/core/weather/surface-based-observations/synop";

    @Test
    void readsTheCentreAndTheDataPolicy() {
        assertThat(Wis2Topics.centreId(ORIGIN)).isEqualTo("ca-eccc-msc");
        assertThat(Wis2Topics.centreId("cache/a/wis2/de-dwd-gts-to-wis2/data/core/x"))
                .isEqualTo("de-dwd-gts-to-wis2");
        assertThat(Wis2Topics.centreId("carCoordinates")).isNull();
        assertThat(Wis2Topics.isRecommended(ORIGIN)).isFalse();
        assertThat(
                        Wis2Topics.isRecommended(
                                "origin/a/wis2/fr-meteofrance/data/recommended/weather"))
                .isTrue();
    }

    @Test
    void republishesUnderCache() {
        assertThat(Wis2Topics.cacheTopic(ORIGIN))
                .isEqualTo(
                        "cache/a/wis2/ca-eccc-msc/data/core/weather/surface-based-observations/synop");
        assertThat(Wis2Topics.cacheTopic("cache/a/wis2/x/data/core/y"))
                .isEqualTo("cache/a/wis2/x/data/core/y");
        assertThatThrownBy(() -> Wis2Topics.cacheTopic("monitor/a/wis2/x"))
                .hasMessageContaining("not a WIS2 topic");
    }
}
