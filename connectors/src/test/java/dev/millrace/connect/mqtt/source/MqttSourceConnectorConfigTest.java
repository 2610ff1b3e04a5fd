package dev.millrace.connect.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.connect.mqtt.MqttBroker;
import dev.millrace.connect.mqtt.internal.RecordKeyMode;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MqttSourceConnectorConfigTest {

    static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("mqtt.broker.urls", "tcp://mqtt-a:1883,ssl://mqtt-b:8883|ssl://mqtt-c:8883");
        props.put("mqtt.client.id", "telemetry-source");
        props.put("mqtt.topics", "carCoordinates=telemetry.car-coordinates");
        return props;
    }

    @Test
    void readsAValidConfigWithItsDefaults() {
        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(valid());

        assertThat(config.connection().brokers())
                .containsExactly(
                        new MqttBroker(0, "tcp://mqtt-a:1883", List.of("tcp://mqtt-a:1883")),
                        new MqttBroker(
                                1,
                                "ssl://mqtt-b:8883|ssl://mqtt-c:8883",
                                List.of("ssl://mqtt-b:8883", "ssl://mqtt-c:8883")));
        assertThat(config.taskBrokers()).isEqualTo(config.connection().brokers());
        assertThat(config.connection().clientId(1)).isEqualTo("telemetry-source-1");
        assertThat(config.connection().qos()).isEqualTo(1);
        assertThat(config.recordKey()).isEqualTo(RecordKeyMode.MQTT_TOPIC);
        assertThat(config.recordKeyPointer()).isNull();
        assertThat(config.dlqTopic()).isNull();
        assertThat(config.queueCapacity()).isEqualTo(10_000);
        assertThat(config.pollTimeoutMs()).isEqualTo(100);
        assertThat(config.batchSize()).isEqualTo(1_000);
        assertThat(config.topicMappings().kafkaTopicFor("carCoordinates"))
                .contains("telemetry.car-coordinates");
    }

    @Test
    void connectOptionsKeepTheSessionAndReconnect() {
        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(valid());
        MqttBroker failover = config.connection().brokers().get(1);

        var options = config.connection().connectOptions(failover, false);

        assertThat(options.isCleanSession()).isFalse();
        assertThat(options.isAutomaticReconnect()).isTrue();
        assertThat(options.getServerURIs())
                .containsExactly("ssl://mqtt-b:8883", "ssl://mqtt-c:8883");
        assertThat(options.getMaxReconnectDelay()).isEqualTo(5_000);
        assertThat(options.getConnectionTimeout()).isEqualTo(30);
        assertThat(options.getKeepAliveInterval()).isEqualTo(60);
    }

    @Test
    void connectOptionsGiveSocketsThatSendAtOnce() throws Exception {
        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(valid());
        MqttBroker plain = config.connection().brokers().get(0);
        MqttBroker tls = config.connection().brokers().get(1);

        var plainOptions = config.connection().connectOptions(plain, false);
        var tlsOptions = config.connection().connectOptions(tls, false);

        try (Socket socket = plainOptions.getSocketFactory().createSocket()) {
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
        // Paho takes an SSL factory for ssl:// URIs only.
        assertThat(tlsOptions.getSocketFactory()).isInstanceOf(SSLSocketFactory.class);
        try (Socket socket = tlsOptions.getSocketFactory().createSocket()) {
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void takesTheKeyFromThePayloadAtThePointer() {
        Map<String, String> props = valid();
        props.put("record.key", "payload");
        props.put("record.key.pointer", "/carIndex");
        props.put("dlq.topic", "telemetry.dlq");

        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(props);

        assertThat(config.recordKey()).isEqualTo(RecordKeyMode.PAYLOAD);
        assertThat(config.recordKeyPointer()).hasToString("/carIndex");
        assertThat(config.dlqTopic()).isEqualTo("telemetry.dlq");
    }

    @Test
    void aTaskReadsOnlyTheBrokersItWasGiven() {
        Map<String, String> props = valid();
        props.put("mqtt.task.broker.indexes", "1");

        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(props);

        assertThat(config.taskBrokers()).extracting(MqttBroker::index).containsExactly(1);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                invalid("mqtt.broker.urls", null),
                invalid("mqtt.broker.urls", ""),
                invalid("mqtt.broker.urls", "http://mqtt-a:1883"),
                invalid("mqtt.broker.urls", "tcp://mqtt-a"),
                invalid("mqtt.broker.urls", "tcp://mqtt-a:1883|mqtt-b"),
                invalid("mqtt.broker.urls", "tcp://mqtt-a:1883/path"),
                invalid("mqtt.client.id", null),
                invalid("mqtt.client.id", ""),
                invalid("mqtt.qos", "3"),
                invalid("mqtt.qos", "-1"),
                invalid("mqtt.connect.timeout.ms", "0"),
                invalid("mqtt.reconnect.backoff.max.ms", "10"),
                invalid("mqtt.max.inflight", "0"),
                invalid("mqtt.ssl.truststore.location", "/no/such/truststore.jks"),
                invalid("mqtt.topics", null),
                invalid("mqtt.topics", ""),
                invalid("mqtt.topics", "carCoordinates"),
                invalid("mqtt.topics", "cars/#/position=telemetry.cars"),
                invalid("mqtt.topics", "carCoordinates="),
                invalid("record.key", "carIndex"),
                invalid("record.key.pointer", "carIndex"),
                invalid("mqtt.queue.capacity", "0"),
                invalid("mqtt.poll.timeout.ms", "-1"),
                invalid("mqtt.batch.size", "0"),
                invalid("mqtt.task.broker.indexes", "2"),
                invalid("mqtt.task.broker.indexes", "first"));
    }

    private static Arguments invalid(String key, String value) {
        return Arguments.of(key, value);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalid")
    void invalidValueIsRefusedNamingItsKey(String key, String value) {
        Map<String, String> props = valid();
        if (value == null) {
            props.remove(key);
        } else {
            props.put(key, value);
        }

        assertThatThrownBy(() -> new MqttSourceConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void payloadKeyWithoutPointerNamesThePointerKey() {
        Map<String, String> props = valid();
        props.put("record.key", "payload");

        assertThatThrownBy(() -> new MqttSourceConnectorConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("record.key.pointer");
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey key : MqttSourceConnectorConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.importance).as(key.name).isNotNull();
        }
        assertThat(MqttSourceConnectorConfig.CONFIG_DEF.names())
                .contains(
                        "mqtt.broker.urls",
                        "mqtt.client.id",
                        "mqtt.username",
                        "mqtt.password",
                        "mqtt.ssl.truststore.location",
                        "mqtt.ssl.truststore.password",
                        "mqtt.ssl.truststore.type",
                        "mqtt.ssl.hostname.verification",
                        "mqtt.qos",
                        "mqtt.connect.timeout.ms",
                        "mqtt.keepalive.seconds",
                        "mqtt.reconnect.backoff.max.ms",
                        "mqtt.topics",
                        "kafka.topic",
                        "record.key",
                        "record.key.pointer",
                        "dlq.topic",
                        "mqtt.queue.capacity",
                        "mqtt.poll.timeout.ms",
                        "mqtt.batch.size");
    }
}
