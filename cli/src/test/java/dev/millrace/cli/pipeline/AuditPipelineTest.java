package dev.millrace.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.Settings;
import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.connect.s3.S3SinkConnectorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The archive connector the stack deploys is one the S3 sink accepts, as configured. */
class AuditPipelineTest {
    @Test
    void theArchiveConnectorConfigIsValidAndFollowsTheSettings() {
        Config config =
                Config.builder(Settings.ALL)
                        .flags(
                                Map.of(
                                        "audit.archive-bucket", "archive-x",
                                        "audit.failure-bucket", "failed-x"))
                        .build();
        Map<String, String> sink =
                AuditPipeline.connectors(
                                AuditSettings.from(config),
                                S3Settings.from(config).withEndpoint("http://127.0.0.1:9000"),
                                KafkaSettings.local("127.0.0.1:9092"))
                        .get(AuditPipeline.ARCHIVE_CONNECTOR);

        S3SinkConnectorConfig parsed = new S3SinkConnectorConfig(sink);

        assertThat(parsed.bucket()).isEqualTo("archive-x");
        assertThat(parsed.salvageBucket()).contains("failed-x");
        assertThat(parsed.completionTopic()).contains(TopicCatalog.AUDIT_ARCHIVE_RESULTS.name());
        assertThat(sink)
                .containsEntry("topics", TopicCatalog.AUDIT_MESSAGES.name())
                .containsEntry("errors.deadletterqueue.topic.name", TopicCatalog.AUDIT_DLQ.name())
                .containsEntry("completion.producer.bootstrap.servers", "127.0.0.1:9092");
    }
}
