package dev.millrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import dev.millrace.connect.s3.S3SinkConnectorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.junit.jupiter.api.Test;

/** The registry describes every pipeline completely, and what it describes is accepted as is. */
class PipelinesTest {
    private static final Config CONFIG =
            Config.builder(Pipelines.KEYS)
                    .flags(
                            Map.of(
                                    "kafka.bootstrap-servers", "127.0.0.1:9092",
                                    "s3.endpoint", "http://127.0.0.1:9000",
                                    "audit.archive-bucket", "archive-x",
                                    "audit.failure-bucket", "failed-x",
                                    "wis2.upstream.urls",
                                            "ssl://everyone:everyone@gb.example.org:8883,tcp://127.0.0.1:1884"))
                    .build();
    private static final PipelineContext CONTEXT =
            new PipelineContext(
                    CONFIG,
                    dev.millrace.config.KafkaSettings.from(CONFIG),
                    dev.millrace.streams.StreamsSettings.from(CONFIG),
                    dev.millrace.config.S3Settings.from(CONFIG),
                    new MqttEndpoint("tcp://127.0.0.1:1883", "millrace", "secret"),
                    "http://127.0.0.1:8080",
                    new SimpleMeterRegistry(),
                    java.time.Clock.systemUTC());

    @Test
    void everyCatalogTopicBelongsToExactlyOnePipelineOrToConnect() {
        List<TopicDefinition> declared = new ArrayList<>();
        Pipelines.ALL.forEach(p -> declared.addAll(p.topics()));

        assertThat(declared).doesNotHaveDuplicates();
        for (Pipeline pipeline : Pipelines.ALL) {
            assertThat(pipeline.topics())
                    .allSatisfy(t -> assertThat(t.name()).startsWith(pipeline.name() + "."))
                    .contains(TopicCatalog.dlqOf(pipeline.name()));
        }
        List<TopicDefinition> rest = new ArrayList<>(TopicCatalog.ALL);
        rest.removeAll(declared);
        assertThat(rest)
                .containsExactlyInAnyOrder(
                        TopicCatalog.CONNECT_CONFIGS,
                        TopicCatalog.CONNECT_OFFSETS,
                        TopicCatalog.CONNECT_STATUS);
    }

    @Test
    void eachStreamsApplicationWritesWhatItsTopologySinksToAndItsDeadLetters() {
        assertThat(outputs("telemetry"))
                .containsExactlyInAnyOrder(
                        "telemetry.car-status", "telemetry.events", "telemetry.dlq");
        assertThat(outputs("wis2")).containsExactlyInAnyOrder("wis2.fetch-requests", "wis2.dlq");
        assertThat(outputs("audit"))
                .containsExactlyInAnyOrder(
                        "audit.metadata", "audit.final-state", "audit.events", "audit.dlq");
    }

    private static List<String> outputs(String pipeline) {
        return Pipelines.find(pipeline).orElseThrow().streamsApps(CONTEXT).get(0).outputTopics();
    }

    @Test
    void everyServiceUsesOnlyItsPipelinesTopics() {
        for (Pipeline pipeline : Pipelines.ALL) {
            List<String> own = pipeline.topics().stream().map(TopicDefinition::name).toList();
            for (ServiceSpec spec : pipeline.services()) {
                assertThat(spec.inputTopics()).isNotEmpty().isSubsetOf(own);
                assertThat(spec.outputTopics()).isNotEmpty().isSubsetOf(own);
                assertThat(spec.groups()).isNotEmpty();
            }
        }
    }

    @Test
    void everyConnectorConfigIsAcceptedByItsConnector() throws Exception {
        for (Pipeline pipeline : Pipelines.ALL) {
            for (var entry : pipeline.connectors(CONTEXT).entrySet()) {
                Connector connector =
                        (Connector)
                                Class.forName(entry.getValue().get("connector.class"))
                                        .getDeclaredConstructor()
                                        .newInstance();
                List<String> errors =
                        connector.validate(entry.getValue()).configValues().stream()
                                .filter(v -> !v.errorMessages().isEmpty())
                                .map(ConfigValue::toString)
                                .toList();
                assertThat(errors).as(entry.getKey()).isEmpty();
            }
        }
    }

    @Test
    void componentNamesAreUnique() {
        List<String> names = new ArrayList<>();
        Pipelines.streamsApps(CONTEXT).forEach(a -> names.add(a.name()));
        Pipelines.services().forEach(s -> names.add(s.name()));

        assertThat(names)
                .doesNotHaveDuplicates()
                .containsExactly("telemetry", "wis2", "audit", "wis2-cache", "ingest");
    }

    @Test
    void theWis2SourcesTakeTheirCredentialsFromTheUpstreamUrls() {
        Map<String, Map<String, String>> connectors = new Wis2Pipeline().connectors(CONTEXT);

        assertThat(connectors.get("wis2-upstream-0"))
                .containsEntry("mqtt.broker.urls", "ssl://gb.example.org:8883")
                .containsEntry("mqtt.username", "everyone")
                .containsEntry("mqtt.password", "everyone");
        assertThat(connectors.get("wis2-upstream-1"))
                .containsEntry("mqtt.broker.urls", "tcp://127.0.0.1:1884")
                .doesNotContainKey("mqtt.username");
        assertThat(connectors.get(Wis2Pipeline.REPUBLISH_CONNECTOR))
                .as("cache notifications are published with millrace's own account")
                .containsEntry("mqtt.broker.urls", "tcp://127.0.0.1:1883")
                .containsEntry("mqtt.username", "millrace")
                .containsEntry("mqtt.password", "secret");
    }

    @Test
    void onlyMillracePublishesThePipelinesOutputs() {
        assertThat(Pipelines.mqttOutputs())
                .containsExactly("carStatus", "events", "cache/a/wis2/#");
        assertThat(new TelemetryPipeline().connectors(CONTEXT).values())
                .allSatisfy(c -> assertThat(c).containsEntry("mqtt.username", "millrace"));
    }

    @Test
    void theArchiveConnectorFollowsTheAuditSettings() {
        Map<String, String> sink =
                new AuditPipeline().connectors(CONTEXT).get(AuditPipeline.ARCHIVE_CONNECTOR);

        S3SinkConnectorConfig parsed = new S3SinkConnectorConfig(sink);

        assertThat(parsed.bucket()).isEqualTo("archive-x");
        assertThat(parsed.salvageBucket()).contains("failed-x");
        assertThat(parsed.completionTopic()).contains(TopicCatalog.AUDIT_ARCHIVE_RESULTS.name());
        assertThat(sink)
                .containsEntry("topics", TopicCatalog.AUDIT_MESSAGES.name())
                .containsEntry("errors.deadletterqueue.topic.name", TopicCatalog.AUDIT_DLQ.name())
                .containsEntry("completion.producer.bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void bucketsFollowTheSettings() {
        assertThat(Pipelines.ALL.stream().flatMap(p -> p.buckets(CONFIG).stream()))
                .containsExactly(
                        "millrace-wis2-cache", "millrace-audit-staging", "archive-x", "failed-x");
    }
}
