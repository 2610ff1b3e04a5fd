package dev.millrace.connect.mqtt.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MqttSinkConnectorConfigTest {

    static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("mqtt.broker.urls", "tcp://mqtt:1883");
        props.put("mqtt.client.id", "telemetry-car-status");
        props.put("mqtt.topic", "carStatus");
        return props;
    }

    @Test
    void readsAValidConfigWithItsDefaults() {
        MqttSinkConnectorConfig config = new MqttSinkConnectorConfig(valid());

        assertThat(config.broker().entry()).isEqualTo("tcp://mqtt:1883");
        assertThat(config.connection().qos()).isEqualTo(1);
        assertThat(config.retained()).isFalse();
        assertThat(config.retryBackoffMs()).isEqualTo(100);
        assertThat(config.retryBackoffMaxMs()).isEqualTo(2_000);
        assertThat(config.publishTimeoutMs()).isEqualTo(30_000);
        assertThat(config.taskId()).isZero();
    }

    @Test
    void acceptsAHeaderOrAPointerInsteadOfAFixedTopic() {
        Map<String, String> header = valid();
        header.remove("mqtt.topic");
        header.put("mqtt.topic.header", "mqtt-topic");
        Map<String, String> pointer = valid();
        pointer.remove("mqtt.topic");
        pointer.put("mqtt.topic.pointer", "/topic");

        assertThat(new MqttSinkConnectorConfig(header).mapper()).isNotNull();
        assertThat(new MqttSinkConnectorConfig(pointer).mapper()).isNotNull();
    }

    @Test
    void noTopicSourceNamesAllThreeKeys() {
        Map<String, String> props = valid();
        props.remove("mqtt.topic");

        assertThatThrownBy(() -> new MqttSinkConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt.topic,")
                .hasMessageContaining("mqtt.topic.header")
                .hasMessageContaining("mqtt.topic.pointer")
                .hasMessageContaining("none is set");
    }

    @Test
    void twoTopicSourcesAreRefusedNamingThem() {
        Map<String, String> props = valid();
        props.put("mqtt.topic.header", "mqtt-topic");

        assertThatThrownBy(() -> new MqttSinkConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[mqtt.topic, mqtt.topic.header]");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("mqtt.topic", "carStatus/#"),
                Arguments.of("mqtt.topic", "car+Status"),
                Arguments.of("mqtt.broker.urls", "tcp://a:1883,tcp://b:1883"),
                Arguments.of("mqtt.broker.urls", "mqtt://a:1883"),
                Arguments.of("mqtt.client.id", ""),
                Arguments.of("mqtt.qos", "5"),
                Arguments.of("mqtt.retry.backoff.ms", "0"),
                Arguments.of("mqtt.retry.backoff.max.ms", "50"),
                Arguments.of("mqtt.publish.timeout.ms", "0"),
                Arguments.of("mqtt.retained", "sometimes"),
                Arguments.of("mqtt.task.id", "-1"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalid")
    void invalidValueIsRefusedNamingItsKey(String key, String value) {
        Map<String, String> props = valid();
        props.put(key, value);

        assertThatThrownBy(() -> new MqttSinkConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void invalidPointerNamesItsKey() {
        Map<String, String> props = valid();
        props.remove("mqtt.topic");
        props.put("mqtt.topic.pointer", "topic");

        assertThatThrownBy(() -> new MqttSinkConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt.topic.pointer");
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey key : MqttSinkConnectorConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
        }
        assertThat(MqttSinkConnectorConfig.CONFIG_DEF.names())
                .contains(
                        "mqtt.topic",
                        "mqtt.topic.header",
                        "mqtt.topic.pointer",
                        "mqtt.retained",
                        "mqtt.retry.backoff.ms",
                        "mqtt.retry.backoff.max.ms",
                        "mqtt.qos",
                        "mqtt.broker.urls");
    }
}
