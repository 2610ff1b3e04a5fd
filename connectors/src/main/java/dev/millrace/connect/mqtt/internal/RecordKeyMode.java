package dev.millrace.connect.mqtt.internal;

import dev.millrace.connect.mqtt.source.MqttSourceConnectorConfig;
import java.util.Arrays;
import org.apache.kafka.common.config.ConfigDef;

/** Where the MQTT source takes a Kafka record's key from. */
public enum RecordKeyMode {
    /** The MQTT topic the message arrived on. */
    MQTT_TOPIC(MqttSourceConnectorConfig.RECORD_KEY_MQTT_TOPIC),
    /** A value inside the JSON payload. */
    PAYLOAD(MqttSourceConnectorConfig.RECORD_KEY_PAYLOAD),
    /** No key. */
    NONE(MqttSourceConnectorConfig.RECORD_KEY_NONE);

    private final String configValue;

    RecordKeyMode(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static RecordKeyMode fromConfig(String value) {
        return Arrays.stream(values())
                .filter(mode -> mode.configValue.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown record key: " + value));
    }

    public static ConfigDef.Validator validator() {
        return ConfigDef.ValidString.in(
                Arrays.stream(values()).map(RecordKeyMode::configValue).toArray(String[]::new));
    }
}
