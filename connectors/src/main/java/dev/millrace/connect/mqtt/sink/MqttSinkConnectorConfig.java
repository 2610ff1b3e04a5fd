package dev.millrace.connect.mqtt.sink;

import dev.millrace.connect.internal.JsonPointers;
import dev.millrace.connect.internal.KeyedConfigException;
import dev.millrace.connect.mqtt.MqttBroker;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.internal.SinkRecordMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/** The MQTT sink connector's configuration: the shared connection keys plus where to publish. */
public final class MqttSinkConnectorConfig extends AbstractConfig {
    public static final String TOPIC = "mqtt.topic";
    public static final String TOPIC_HEADER = "mqtt.topic.header";
    public static final String TOPIC_POINTER = "mqtt.topic.pointer";
    public static final String RETAINED = "mqtt.retained";
    public static final String PUBLISH_TIMEOUT_MS = "mqtt.publish.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "mqtt.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "mqtt.retry.backoff.max.ms";

    /** Set by the connector for each task; not meant to be configured. */
    static final String TASK_ID = "mqtt.task.id";

    private static final String GROUP = "MQTT sink";

    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        int order = 0;
        return MqttConnectionConfig.define(new ConfigDef())
                .define(
                        TOPIC,
                        Type.STRING,
                        null,
                        publishTopicValidator(),
                        Importance.HIGH,
                        "MQTT topic every record is published to. Set exactly one of mqtt.topic,"
                                + " mqtt.topic.header and mqtt.topic.pointer.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Topic")
                .define(
                        TOPIC_HEADER,
                        Type.STRING,
                        null,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH,
                        "Name of the record header that holds each record's MQTT topic.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Topic header")
                .define(
                        TOPIC_POINTER,
                        Type.STRING,
                        null,
                        JsonPointers.validator(),
                        Importance.HIGH,
                        "JSON pointer to each record's MQTT topic inside its JSON value, like"
                                + " /topic.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Topic pointer")
                .define(
                        RETAINED,
                        Type.BOOLEAN,
                        false,
                        Importance.MEDIUM,
                        "Whether the broker retains the last message of each topic for new"
                                + " subscribers.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Retained")
                .define(
                        PUBLISH_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "How long one batch may wait for the broker to acknowledge its"
                                + " publications, in milliseconds, before it is retried.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Publish timeout")
                .define(
                        RETRY_BACKOFF_MS,
                        Type.LONG,
                        100L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Wait before redelivering a batch the broker did not take, in"
                                + " milliseconds; doubles on each failure in a row.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Retry backoff")
                .define(
                        RETRY_BACKOFF_MAX_MS,
                        Type.LONG,
                        2_000L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Longest wait between two attempts at a batch, in milliseconds.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Max retry backoff")
                .define(
                        TASK_ID,
                        Type.INT,
                        0,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Set by the connector for each task: the task's number, the suffix of its"
                                + " client id.");
    }

    private final MqttConnectionConfig connection;
    private final SinkRecordMapper mapper;

    public MqttSinkConnectorConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        this.connection = MqttConnectionConfig.from(this);
        if (connection.brokers().size() != 1) {
            throw new KeyedConfigException(
                    MqttConnectionConfig.BROKER_URLS,
                    getList(MqttConnectionConfig.BROKER_URLS),
                    "the sink publishes to one broker: give one entry (failover URIs separated by"
                            + " '|')");
        }
        this.mapper = topicMapper();
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            throw new KeyedConfigException(
                    RETRY_BACKOFF_MAX_MS,
                    getLong(RETRY_BACKOFF_MAX_MS),
                    "must be at least " + RETRY_BACKOFF_MS);
        }
    }

    private SinkRecordMapper topicMapper() {
        String fixed = getString(TOPIC);
        String header = getString(TOPIC_HEADER);
        String pointer = getString(TOPIC_POINTER);
        List<String> set = new ArrayList<>();
        if (fixed != null) {
            set.add(TOPIC);
        }
        if (header != null) {
            set.add(TOPIC_HEADER);
        }
        if (pointer != null) {
            set.add(TOPIC_POINTER);
        }
        if (set.size() != 1) {
            throw new KeyedConfigException(
                    TOPIC,
                    fixed,
                    "set exactly one of "
                            + TOPIC
                            + ", "
                            + TOPIC_HEADER
                            + " and "
                            + TOPIC_POINTER
                            + (set.isEmpty() ? "; none is set" : "; set are " + set));
        }
        if (fixed != null) {
            return SinkRecordMapper.fixedTopic(fixed);
        }
        if (header != null) {
            return SinkRecordMapper.topicFromHeader(header);
        }
        return SinkRecordMapper.topicFromPointer(JsonPointers.compile(pointer));
    }

    public MqttConnectionConfig connection() {
        return connection;
    }

    /** The one broker the sink publishes to. */
    public MqttBroker broker() {
        return connection.brokers().get(0);
    }

    public SinkRecordMapper mapper() {
        return mapper;
    }

    public boolean retained() {
        return getBoolean(RETAINED);
    }

    public long publishTimeoutMs() {
        return getLong(PUBLISH_TIMEOUT_MS);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public int taskId() {
        return getInt(TASK_ID);
    }

    private static ConfigDef.Validator publishTopicValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                try {
                    MqttTopic.validate((String) value, false);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            name, value, "is not an MQTT topic to publish to (no wildcards)");
                }
            }

            @Override
            public String toString() {
                return "an MQTT topic without wildcards";
            }
        };
    }
}
