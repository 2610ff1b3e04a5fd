package dev.millrace.cli.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** The config every pipeline's MQTT sink connector shares; the caller says where to publish. */
final class MqttSinks {
    private MqttSinks() {}

    /**
     * One task publishing {@code topic} on {@code mqttUrl} at QoS 1, reading only committed
     * records, errant records to the pipeline's dead-letter topic.
     *
     * @param targetKey {@code mqtt.topic} (a fixed MQTT topic) or {@code mqtt.topic.header} (the
     *     record header naming it)
     * @param target that topic, or that header's name
     */
    static Map<String, String> config(
            String mqttUrl,
            String topic,
            String clientId,
            String deadLetterTopic,
            String targetKey,
            String target) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "dev.millrace.connect.mqtt.sink.MqttSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("mqtt.broker.urls", mqttUrl);
        config.put("mqtt.client.id", clientId);
        config.put(targetKey, target);
        config.put("mqtt.qos", "1");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", deadLetterTopic);
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        // The catalog creates the dead-letter topic; this only matters where it does not exist.
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("consumer.override.isolation.level", "read_committed");
        return config;
    }
}
