package dev.millrace.pipeline;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.sink.MqttSinkConnectorConfig;
import dev.millrace.connect.mqtt.source.MqttSourceConnector;
import dev.millrace.connect.mqtt.source.MqttSourceConnectorConfig;
import dev.millrace.streams.telemetry.TelemetryTopology;
import dev.millrace.telemetry.TelemetrySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The telemetry pipeline: MQTT {@code carCoordinates} into Kafka by the MQTT source connector, the
 * telemetry topology, and {@code carStatus} and {@code events} back out by two MQTT sink
 * connectors.
 */
public final class TelemetryPipeline implements Pipeline {
    public static final String NAME = "telemetry";
    public static final String MQTT_IN = "carCoordinates";
    public static final String MQTT_STATUS = "carStatus";
    public static final String MQTT_EVENTS = "events";
    public static final String SOURCE_CONNECTOR = "telemetry-mqtt-source";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicDefinition> topics() {
        return List.of(
                TopicCatalog.TELEMETRY_CAR_COORDINATES,
                TopicCatalog.TELEMETRY_CAR_STATUS,
                TopicCatalog.TELEMETRY_EVENTS,
                TopicCatalog.TELEMETRY_DLQ,
                TopicCatalog.TELEMETRY_DLQ_REDRIVES);
    }

    @Override
    public List<StreamsApp> streamsApps(PipelineContext context) {
        return List.of(
                StreamsApp.of(
                        NAME,
                        TelemetryTopology.APPLICATION_ID,
                        List.of(TelemetryTopology.CAR_COORDINATES.name()),
                        () ->
                                new TelemetryTopology(TelemetrySettings.rules(context.config()))
                                        .build(),
                        TopicCatalog.TELEMETRY_DLQ.name(),
                        context));
    }

    /**
     * Every fix of MQTT topic {@code carCoordinates} is keyed by that topic, so one race's fixes
     * share a partition and keep their arrival order.
     */
    @Override
    public Map<String, Map<String, String>> connectors(PipelineContext context) {
        Map<String, String> source = ConnectorConfigs.of(MqttSourceConnector.class, 1);
        source.putAll(context.mqtt().connectorConfig());
        source.put(MqttConnectionConfig.CLIENT_ID, "millrace-telemetry-source");
        source.put(MqttConnectionConfig.QOS, "1");
        source.put(
                MqttSourceConnectorConfig.TOPICS,
                MQTT_IN + "=" + TopicCatalog.TELEMETRY_CAR_COORDINATES.name());
        source.put(
                MqttSourceConnectorConfig.RECORD_KEY,
                MqttSourceConnectorConfig.RECORD_KEY_MQTT_TOPIC);
        source.put(MqttSourceConnectorConfig.DLQ_TOPIC, TopicCatalog.TELEMETRY_DLQ.name());
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put(SOURCE_CONNECTOR, source);
        connectors.put(
                "telemetry-car-status-sink",
                sink(context, TopicCatalog.TELEMETRY_CAR_STATUS.name(), MQTT_STATUS));
        connectors.put(
                "telemetry-events-sink",
                sink(context, TopicCatalog.TELEMETRY_EVENTS.name(), MQTT_EVENTS));
        return connectors;
    }

    private static Map<String, String> sink(
            PipelineContext context, String topic, String mqttTopic) {
        return ConnectorConfigs.mqttSink(
                context.mqtt(),
                topic,
                "millrace-" + topic.replace('.', '-') + "-sink",
                TopicCatalog.TELEMETRY_DLQ.name(),
                MqttSinkConnectorConfig.TOPIC,
                mqttTopic);
    }

    @Override
    public List<String> mqttOutputs() {
        return List.of(MQTT_STATUS, MQTT_EVENTS);
    }

    @Override
    public List<String> mqttInputs() {
        return List.of(MQTT_IN);
    }

    @Override
    public List<ServiceSpec> services() {
        return List.of();
    }

    @Override
    public List<String> buckets(Config config) {
        return List.of();
    }
}
