package dev.millrace.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class S3SinkConnectorConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket", "archive");
        return props;
    }

    /** The audit pipeline's connector configuration. */
    static Map<String, String> audit() {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", S3SinkConnector.class.getName());
        props.put("topics", "audit.messages");
        props.put("s3.bucket", "millrace-audit-archive");
        props.put("s3.endpoint", "http://127.0.0.1:9000");
        props.put("s3.path-style", "true");
        props.put(
                "s3.key.template",
                "${json-time:/messageMetaData/dateTime:yyyy/MM/dd/HH/mm/ss}/${json:/messageID}");
        props.put("s3.content", "pointer");
        props.put("s3.content.pointer", "/payload/inline");
        props.put("s3.content.encoding", "base64");
        props.put("s3.claim-check.pointer", "/payload/s3");
        props.put("s3.claim-check.delete", "true");
        props.put("s3.content-type.pointer", "/payload/contentType");
        props.put("completion.topic", "audit.archive-results");
        props.put("completion.producer.bootstrap.servers", "127.0.0.1:9092");
        props.put("completion.producer.linger.ms", "5");
        props.put("salvage.bucket", "millrace-audit-failed");
        props.put("errors.tolerance", "all");
        props.put("errors.deadletterqueue.topic.name", "audit.dlq");
        props.put("errors.deadletterqueue.context.headers.enable", "true");
        props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        return props;
    }

    @Test
    void readsAMinimalConfigWithItsDefaults() {
        S3SinkConnectorConfig config = new S3SinkConnectorConfig(minimal());

        assertThat(config.bucket()).isEqualTo("archive");
        assertThat(config.s3().region()).isEqualTo("us-east-1");
        assertThat(config.s3().endpoint()).isEmpty();
        assertThat(config.s3().pathStyle()).isFalse();
        assertThat(config.s3().accessKey()).isEmpty();
        assertThat(config.batchMode()).isFalse();
        assertThat(config.keyTemplate()).hasToString("${topic}/${partition}/${offset}");
        assertThat(config.contentType()).isEqualTo("application/octet-stream");
        assertThat(config.contentTypePointer()).isEmpty();
        assertThat(config.claimCheck()).isEmpty();
        assertThat(config.deleteClaimChecks()).isFalse();
        assertThat(config.putConcurrency()).isEqualTo(16);
        assertThat(config.batchLimits().maxRecords()).isEqualTo(10_000);
        assertThat(config.batchLimits().maxBytes()).isEqualTo(67_108_864L);
        assertThat(config.batchLimits().maxSpanMs()).isEqualTo(3_600_000L);
        assertThat(config.completionTopic()).isEmpty();
        assertThat(config.salvageBucket()).isEmpty();
    }

    @Test
    void batchModeDefaultsToKeysFromTheStartOffset() {
        Map<String, String> props = minimal();
        props.put("s3.mode", "batch");

        assertThat(new S3SinkConnectorConfig(props).keyTemplate())
                .hasToString("${topic}/${partition}/${start-offset}");
    }

    @Test
    void acceptsTheAuditConfiguration() {
        S3SinkConnectorConfig config = new S3SinkConnectorConfig(audit());

        assertThat(config.claimCheck()).isPresent();
        assertThat(config.contentTypePointer()).isPresent();
        assertThat(config.completionTopic()).contains("audit.archive-results");
        assertThat(config.salvageBucket()).contains("millrace-audit-failed");
        assertThat(config.completionProducerConfig())
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("linger.ms", "5")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .doesNotContainKey("completion.topic");
    }

    @Test
    void credentialsAreHiddenFromTheConfigsText() {
        Map<String, String> props = minimal();
        props.put("s3.access-key-id", "AKIAEXAMPLE");
        props.put("s3.secret-access-key", "very-secret");
        S3SinkConnectorConfig config = new S3SinkConnectorConfig(props);

        assertThat(config.s3().accessKey()).isEqualTo("AKIAEXAMPLE");
        assertThat(config.s3().secretKey()).isEqualTo("very-secret");
        assertThat(config.s3().toString()).doesNotContain("very-secret", "AKIAEXAMPLE");
        assertThat(config.values().toString()).doesNotContain("very-secret");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(Map.of("s3.bucket", ""), "s3.bucket"),
                Arguments.of(Map.of("s3.endpoint", "127.0.0.1:9000"), "s3.endpoint"),
                Arguments.of(Map.of("s3.endpoint", "ftp://host"), "s3.endpoint"),
                Arguments.of(Map.of("s3.path-style", "maybe"), "s3.path-style"),
                Arguments.of(Map.of("s3.access-key-id", "AKIA"), "s3.secret-access-key"),
                Arguments.of(Map.of("s3.secret-access-key", "secret"), "s3.access-key-id"),
                Arguments.of(Map.of("s3.mode", "stream"), "s3.mode"),
                Arguments.of(Map.of("s3.key.template", "${nope}"), "s3.key.template"),
                Arguments.of(Map.of("s3.key.template", "${json:/a"), "s3.key.template"),
                Arguments.of(
                        Map.of("s3.mode", "batch", "s3.key.template", "${topic}/${partition}"),
                        "s3.key.template"),
                Arguments.of(Map.of("s3.content", "pointer"), "s3.content.pointer"),
                Arguments.of(Map.of("s3.content", "payload"), "s3.content"),
                Arguments.of(Map.of("s3.content.pointer", "payload"), "s3.content.pointer"),
                Arguments.of(Map.of("s3.content.encoding", "hex"), "s3.content.encoding"),
                Arguments.of(Map.of("s3.claim-check.pointer", "s3"), "s3.claim-check.pointer"),
                Arguments.of(
                        Map.of("s3.mode", "batch", "s3.claim-check.pointer", "/payload/s3"),
                        "s3.claim-check.pointer"),
                Arguments.of(
                        Map.of("s3.mode", "batch", "s3.content-type.pointer", "/type"),
                        "s3.content-type.pointer"),
                Arguments.of(Map.of("s3.content-type", ""), "s3.content-type"),
                Arguments.of(Map.of("s3.put.concurrency", "0"), "s3.put.concurrency"),
                Arguments.of(Map.of("s3.batch.max-records", "0"), "s3.batch.max-records"),
                Arguments.of(Map.of("s3.batch.max-bytes", "0"), "s3.batch.max-bytes"),
                Arguments.of(Map.of("s3.batch.max-span-ms", "-1"), "s3.batch.max-span-ms"),
                Arguments.of(
                        Map.of("completion.topic", "audit.archive-results"),
                        "completion.producer.bootstrap.servers"),
                Arguments.of(Map.of("salvage.bucket", ""), "salvage.bucket"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesInvalidValuesNamingTheKey(Map<String, String> override, String key) {
        Map<String, String> props = minimal();
        props.putAll(override);

        assertThatThrownBy(() -> new S3SinkConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void requiresTheBucket() {
        assertThatThrownBy(() -> new S3SinkConnectorConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3.bucket");
    }

    @Test
    void validateReportsCrossKeyRulesOnTheKeyToChange() {
        Map<String, String> props = minimal();
        props.put("s3.content", "pointer");

        Config result = new S3SinkConnector().validate(props);

        assertThat(errors(result, "s3.content.pointer"))
                .singleElement()
                .asString()
                .contains("is required with s3.content=pointer");
        assertThat(errors(result, "s3.bucket")).isEmpty();
    }

    @Test
    void validateAcceptsTheAuditConfiguration() {
        Config result = new S3SinkConnector().validate(audit());

        assertThat(result.configValues())
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void documentsEveryKey() {
        ConfigDef def = S3SinkConnectorConfig.CONFIG_DEF;

        assertThat(def.names())
                .containsExactlyInAnyOrder(
                        "s3.bucket",
                        "s3.region",
                        "s3.endpoint",
                        "s3.path-style",
                        "s3.access-key-id",
                        "s3.secret-access-key",
                        "s3.mode",
                        "s3.key.template",
                        "s3.content",
                        "s3.content.pointer",
                        "s3.content.encoding",
                        "s3.claim-check.pointer",
                        "s3.claim-check.delete",
                        "s3.content-type",
                        "s3.content-type.pointer",
                        "s3.put.concurrency",
                        "s3.batch.max-records",
                        "s3.batch.max-bytes",
                        "s3.batch.max-span-ms",
                        "completion.topic",
                        "completion.producer.bootstrap.servers",
                        "salvage.bucket");
        assertThat(def.configKeys().values())
                .allSatisfy(k -> assertThat(k.documentation).as(k.name).isNotBlank());
        assertThat(def.configKeys().get("s3.secret-access-key").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("s3.access-key-id").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void everyTaskGetsTheConnectorsConfig() {
        S3SinkConnector connector = new S3SinkConnector();
        connector.start(audit());

        List<Map<String, String>> tasks = connector.taskConfigs(3);

        assertThat(tasks).hasSize(3).allSatisfy(t -> assertThat(t).isEqualTo(audit()));
        assertThat(connector.taskClass()).isEqualTo(S3SinkTask.class);
    }

    private static List<String> errors(Config result, String key) {
        return result.configValues().stream()
                .filter(v -> v.name().equals(key))
                .findFirst()
                .map(ConfigValue::errorMessages)
                .orElseThrow();
    }
}
