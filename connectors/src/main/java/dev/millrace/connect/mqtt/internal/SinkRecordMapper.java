package dev.millrace.connect.mqtt.internal;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.connect.internal.JsonPointers;
import dev.millrace.connect.internal.UnusablePayloadException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * What the sink publishes for a record: its value as the payload (bytes as they are, a string as
 * UTF-8), on the topic configured, named by a header or found in the JSON value.
 */
public final class SinkRecordMapper {

    /** One MQTT message to publish. */
    public record Publication(String topic, byte[] payload) {}

    @FunctionalInterface
    private interface TopicSource {
        String topicOf(SinkRecord record, byte[] payload) throws UnusablePayloadException;
    }

    private final TopicSource topics;

    private SinkRecordMapper(TopicSource topics) {
        this.topics = topics;
    }

    public static SinkRecordMapper fixedTopic(String topic) {
        return new SinkRecordMapper((record, payload) -> topic);
    }

    public static SinkRecordMapper topicFromHeader(String header) {
        return new SinkRecordMapper(
                (record, payload) -> checked(headerText(record, header), "header " + header));
    }

    public static SinkRecordMapper topicFromPointer(JsonPointer pointer) {
        return new SinkRecordMapper(
                (record, payload) ->
                        checked(JsonPointers.textAt(payload, pointer), "the value at " + pointer));
    }

    /**
     * @throws UnusablePayloadException if the record cannot be published: a null or non-binary
     *     value, or no usable topic
     */
    public Publication toPublication(SinkRecord record) throws UnusablePayloadException {
        byte[] payload = payload(record.value());
        return new Publication(topics.topicOf(record, payload), payload);
    }

    private static byte[] payload(Object value) throws UnusablePayloadException {
        if (value == null) {
            throw new UnusablePayloadException("record has a null value");
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new UnusablePayloadException(
                "value of type "
                        + value.getClass().getSimpleName()
                        + " is not bytes or a string: use ByteArrayConverter or StringConverter");
    }

    private static String headerText(SinkRecord record, String name)
            throws UnusablePayloadException {
        Header header = record.headers().lastWithName(name);
        if (header == null || header.value() == null) {
            throw new UnusablePayloadException("record has no header " + name);
        }
        Object value = header.value();
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    private static String checked(String topic, String origin) throws UnusablePayloadException {
        try {
            MqttTopic.validate(topic, false);
        } catch (IllegalArgumentException e) {
            throw new UnusablePayloadException(
                    "'" + topic + "' from " + origin + " is not an MQTT topic to publish to");
        }
        return topic;
    }
}
