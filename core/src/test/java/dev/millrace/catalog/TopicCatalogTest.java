package dev.millrace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void everyTopicIsNamedAfterItsPipelineInKebabCase() {
        assertThat(TopicCatalog.ALL)
                .allSatisfy(
                        t ->
                                assertThat(t.name())
                                        .matches("(telemetry|wis2|audit|millrace)\\.[a-z0-9-]+"));
    }

    @Test
    void everyPipelineHasADeadLetterTopic() {
        for (String pipeline : new String[] {"telemetry", "wis2", "audit"}) {
            assertThat(TopicCatalog.dlqOf(pipeline).name()).isEqualTo(pipeline + ".dlq");
        }
    }

    @Test
    void stateTopicsAreCompactedAndKeepNoRetention() {
        assertThat(TopicCatalog.AUDIT_METADATA.configs())
                .containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(TopicCatalog.CONNECT_CONFIGS.partitions()).isEqualTo(1);
    }

    @Test
    void theTelemetrySourceOfTruthIsKeptForever() {
        assertThat(TopicCatalog.TELEMETRY_CAR_COORDINATES.configs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1");
        assertThat(TopicCatalog.TELEMETRY_EVENTS.configs())
                .containsEntry("retention.ms", String.valueOf(7L * 24 * 3600 * 1000));
    }
}
