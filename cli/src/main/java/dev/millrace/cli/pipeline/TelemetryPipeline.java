package dev.millrace.cli.pipeline;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.streams.telemetry.TelemetryTopology;
import dev.millrace.telemetry.RaceRules;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the telemetry pipeline is put together: MQTT {@code carCoordinates} into Kafka by the MQTT
 * source connector, the telemetry topology, and {@code carStatus} and {@code events} back out by
 * two MQTT sink connectors.
 */
public final class TelemetryPipeline {
    public static final String NAME = "telemetry";
    public static final String MQTT_IN = "carCoordinates";
    public static final String MQTT_STATUS = "carStatus";
    public static final String MQTT_EVENTS = "events";

    private TelemetryPipeline() {}

    public static StreamsApp app(
            KafkaSettings kafka, StreamsSettings streams, RaceRules rules, MeterRegistry registry) {
        return new StreamsApp(
                NAME,
                TelemetryTopology.APPLICATION_ID,
                List.of(TelemetryTopology.CAR_COORDINATES.name()),
                () ->
                        new StreamsRunner(
                                TelemetryTopology.APPLICATION_ID,
                                new TelemetryTopology(rules).build(),
                                StreamsRunner.properties(
                                        TelemetryTopology.APPLICATION_ID,
                                        kafka,
                                        streams,
                                        TopicCatalog.TELEMETRY_DLQ.name()),
                                registry));
    }

    /**
     * The pipeline's connectors by name. Every fix of MQTT topic {@code carCoordinates} is keyed by
     * that topic, so one race's fixes share a partition and keep their arrival order.
     */
    public static Map<String, Map<String, String>> connectors(String mqttUrl) {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put(
                "telemetry-mqtt-source",
                Map.of(
                        "connector.class",
                        "dev.millrace.connect.mqtt.source.MqttSourceConnector",
                        "tasks.max",
                        "1",
                        "mqtt.broker.urls",
                        mqttUrl,
                        "mqtt.client.id",
                        "millrace-telemetry-source",
                        "mqtt.qos",
                        "1",
                        "mqtt.topics",
                        MQTT_IN + "=" + TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                        "record.key",
                        "mqtt-topic",
                        "dlq.topic",
                        TopicCatalog.TELEMETRY_DLQ.name()));
        connectors.put(
                "telemetry-car-status-sink",
                sink(mqttUrl, TopicCatalog.TELEMETRY_CAR_STATUS.name(), MQTT_STATUS));
        connectors.put(
                "telemetry-events-sink",
                sink(mqttUrl, TopicCatalog.TELEMETRY_EVENTS.name(), MQTT_EVENTS));
        return connectors;
    }

    private static Map<String, String> sink(String mqttUrl, String topic, String mqttTopic) {
        return MqttSinks.config(
                mqttUrl,
                topic,
                "millrace-" + topic.replace('.', '-') + "-sink",
                TopicCatalog.TELEMETRY_DLQ.name(),
                "mqtt.topic",
                mqttTopic);
    }
}
