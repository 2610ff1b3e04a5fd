package dev.millrace.connect.mqtt.source;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.connect.internal.JsonPointers;
import dev.millrace.connect.internal.KeyedConfigException;
import dev.millrace.connect.mqtt.MqttBroker;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.internal.RecordKeyMode;
import dev.millrace.connect.mqtt.internal.TopicMappings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The MQTT source connector's configuration: the shared connection keys plus what to read. */
public final class MqttSourceConnectorConfig extends AbstractConfig {
    public static final String TOPICS = "mqtt.topics";
    public static final String KAFKA_TOPIC = "kafka.topic";
    public static final String RECORD_KEY = "record.key";
    public static final String RECORD_KEY_POINTER = "record.key.pointer";

    /** Values of {@value #RECORD_KEY}. */
    public static final String RECORD_KEY_MQTT_TOPIC = "mqtt-topic";

    public static final String RECORD_KEY_PAYLOAD = "payload";
    public static final String RECORD_KEY_NONE = "none";
    public static final String DLQ_TOPIC = "dlq.topic";
    public static final String QUEUE_CAPACITY = "mqtt.queue.capacity";
    public static final String POLL_TIMEOUT_MS = "mqtt.poll.timeout.ms";
    public static final String BATCH_SIZE = "mqtt.batch.size";
    public static final String MAX_PAYLOAD_BYTES = "mqtt.max.payload.bytes";

    /** Set by the connector for each task; not meant to be configured. */
    static final String TASK_BROKER_INDEXES = "mqtt.task.broker.indexes";

    private static final String GROUP = "MQTT source";

    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        int order = 0;
        return MqttConnectionConfig.define(new ConfigDef())
                .define(
                        TOPICS,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        TopicMappings.validator(),
                        Importance.HIGH,
                        "MQTT topic filters to subscribe to, comma-separated, each <filter>=<kafka"
                            + " topic>, like carCoordinates=telemetry.car-coordinates. An entry"
                            + " without '=' goes to kafka.topic. A message goes to the Kafka topic"
                            + " of the first entry whose filter matches its topic.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Topic mapping")
                .define(
                        KAFKA_TOPIC,
                        Type.STRING,
                        null,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.MEDIUM,
                        "Kafka topic for the mqtt.topics entries that name none.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Default Kafka topic")
                .define(
                        RECORD_KEY,
                        Type.STRING,
                        RecordKeyMode.MQTT_TOPIC.configValue(),
                        RecordKeyMode.validator(),
                        Importance.HIGH,
                        "Kafka record key: mqtt-topic (the MQTT topic the message arrived on),"
                                + " payload (the value at record.key.pointer in the JSON payload)"
                                + " or none.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Record key")
                .define(
                        RECORD_KEY_POINTER,
                        Type.STRING,
                        null,
                        JsonPointers.validator(),
                        Importance.MEDIUM,
                        "JSON pointer to the key in the payload, like /carIndex; required with"
                                + " record.key=payload. A string is used as is, a number or boolean"
                                + " as its canonical text.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Key pointer")
                .define(
                        DLQ_TOPIC,
                        Type.STRING,
                        null,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.MEDIUM,
                        "Kafka topic for messages that do not fit the mapping (with"
                                + " record.key=payload: not JSON, or no key at the pointer), with"
                                + " the reason in header mqtt.error. Unset, such a message goes to"
                                + " its mapped topic with a null key. No message is dropped.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Dead-letter topic")
                .define(
                        QUEUE_CAPACITY,
                        Type.INT,
                        10_000,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Messages a task buffers between the MQTT client and Kafka. When full, the"
                                + " client stops reading from the broker until poll catches up.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Queue capacity")
                .define(
                        POLL_TIMEOUT_MS,
                        Type.LONG,
                        100L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "How long poll waits for a first message, in milliseconds.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Poll timeout")
                .define(
                        BATCH_SIZE,
                        Type.INT,
                        1_000,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Most records one poll returns.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Batch size")
                .define(
                        MAX_PAYLOAD_BYTES,
                        Type.INT,
                        1_000_000,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Largest MQTT payload sent to Kafka as a record. A larger one would fail"
                            + " the worker's producer (max.request.size, 1 MiB by default) and stop"
                            + " the task; it goes to dlq.topic instead, its first 64 KiB kept, with"
                            + " its size in mqtt.error (without dlq.topic it is logged and"
                            + " dropped).",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Max payload bytes")
                .define(
                        TASK_BROKER_INDEXES,
                        Type.LIST,
                        "",
                        Importance.LOW,
                        "Set by the connector for each task: the positions in mqtt.broker.urls"
                                + " this task connects to. Empty means all of them.");
    }

    private final MqttConnectionConfig connection;
    private final TopicMappings topicMappings;
    private final RecordKeyMode recordKey;
    private final JsonPointer recordKeyPointer;
    private final List<MqttBroker> taskBrokers;

    public MqttSourceConnectorConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        this.connection = MqttConnectionConfig.from(this);
        this.topicMappings = TopicMappings.parse(TOPICS, getList(TOPICS), getString(KAFKA_TOPIC));
        this.recordKey = RecordKeyMode.fromConfig(getString(RECORD_KEY));
        String pointer = getString(RECORD_KEY_POINTER);
        if (recordKey == RecordKeyMode.PAYLOAD && pointer == null) {
            throw new KeyedConfigException(
                    RECORD_KEY_POINTER, null, "is required with " + RECORD_KEY + "=payload");
        }
        this.recordKeyPointer = pointer == null ? null : JsonPointers.compile(pointer);
        this.taskBrokers = taskBrokers(connection.brokers(), getList(TASK_BROKER_INDEXES));
    }

    public MqttConnectionConfig connection() {
        return connection;
    }

    public TopicMappings topicMappings() {
        return topicMappings;
    }

    public RecordKeyMode recordKey() {
        return recordKey;
    }

    /** The key pointer, or null when the key does not come from the payload. */
    public JsonPointer recordKeyPointer() {
        return recordKeyPointer;
    }

    public String dlqTopic() {
        return getString(DLQ_TOPIC);
    }

    public int queueCapacity() {
        return getInt(QUEUE_CAPACITY);
    }

    public long pollTimeoutMs() {
        return getLong(POLL_TIMEOUT_MS);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public int maxPayloadBytes() {
        return getInt(MAX_PAYLOAD_BYTES);
    }

    /** The brokers this task connects to: all of them unless the connector split them. */
    public List<MqttBroker> taskBrokers() {
        return taskBrokers;
    }

    private static List<MqttBroker> taskBrokers(List<MqttBroker> all, List<String> indexes) {
        if (indexes.isEmpty()) {
            return all;
        }
        List<MqttBroker> chosen = new ArrayList<>(indexes.size());
        for (String index : indexes) {
            int i;
            try {
                i = Integer.parseInt(index.trim());
            } catch (NumberFormatException e) {
                i = -1;
            }
            if (i < 0 || i >= all.size()) {
                throw new KeyedConfigException(
                        TASK_BROKER_INDEXES,
                        indexes,
                        "'" + index + "' is not a position in " + MqttConnectionConfig.BROKER_URLS);
            }
            chosen.add(all.get(i));
        }
        return List.copyOf(chosen);
    }
}
