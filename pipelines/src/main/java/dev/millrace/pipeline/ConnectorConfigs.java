package dev.millrace.pipeline;

import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.sink.MqttSinkConnector;
import dev.millrace.connect.mqtt.sink.MqttSinkConnectorConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;

/**
 * Connector configs built from the keys their classes declare: Connect's own ({@link
 * ConnectorConfig}, {@link SinkConnectorConfig}) and each connector's config class.
 */
final class ConnectorConfigs {
    private ConnectorConfigs() {}

    /** A config running {@code type} with {@code tasks} tasks. */
    static Map<String, String> of(Class<? extends Connector> type, int tasks) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, type.getName());
        config.put(ConnectorConfig.TASKS_MAX_CONFIG, String.valueOf(tasks));
        return config;
    }

    /** Errant records go to {@code topic} with Connect's context headers; the task goes on. */
    static void deadLetterTo(Map<String, String> config, String topic) {
        config.put(ConnectorConfig.ERRORS_TOLERANCE_CONFIG, "all");
        config.put(SinkConnectorConfig.DLQ_TOPIC_NAME_CONFIG, topic);
        config.put(SinkConnectorConfig.DLQ_CONTEXT_HEADERS_ENABLE_CONFIG, "true");
        // The catalog creates the dead-letter topic; this only matters where it does not exist.
        config.put(SinkConnectorConfig.DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, "1");
    }

    /** Sets a property of the sink's consumer. */
    static void consumer(Map<String, String> config, String key, Object value) {
        config.put(
                ConnectorConfig.CONNECTOR_CLIENT_CONSUMER_OVERRIDES_PREFIX + key, value.toString());
    }

    /** The sink reads only what transactions committed. */
    static void readCommitted(Map<String, String> config) {
        consumer(config, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    /**
     * One task publishing {@code topic} on {@code mqtt} at QoS 1, reading only committed records,
     * errant records to the pipeline's dead-letter topic.
     *
     * @param targetKey {@link MqttSinkConnectorConfig#TOPIC} (a fixed MQTT topic) or {@link
     *     MqttSinkConnectorConfig#TOPIC_HEADER} (the record header naming it)
     * @param target that topic, or that header's name
     */
    static Map<String, String> mqttSink(
            MqttEndpoint mqtt,
            String topic,
            String clientId,
            String deadLetterTopic,
            String targetKey,
            String target) {
        Map<String, String> config = of(MqttSinkConnector.class, 1);
        config.put(SinkConnectorConfig.TOPICS_CONFIG, topic);
        config.putAll(mqtt.connectorConfig());
        config.put(MqttConnectionConfig.CLIENT_ID, clientId);
        config.put(targetKey, target);
        config.put(MqttConnectionConfig.QOS, "1");
        deadLetterTo(config, deadLetterTopic);
        readCommitted(config);
        return config;
    }
}
