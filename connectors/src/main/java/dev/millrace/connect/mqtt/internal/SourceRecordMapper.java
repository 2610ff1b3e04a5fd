package dev.millrace.connect.mqtt.internal;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.connect.internal.JsonPointers;
import dev.millrace.connect.internal.UnusablePayloadException;
import dev.millrace.deadletter.DeadLetter;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an MQTT message into the Kafka record the source emits: raw payload bytes as the value, a
 * string key, the message's provenance in headers. A message that does not fit the mapping goes to
 * the dead-letter topic with its reason, or, without one, to its topic with a null key.
 */
public final class SourceRecordMapper {
    public static final String HEADER_TOPIC = "mqtt.topic";
    public static final String HEADER_QOS = "mqtt.qos";
    public static final String HEADER_RECEIVED = "mqtt.received";
    public static final String HEADER_BROKER = "mqtt.broker";
    public static final String HEADER_ERROR = DeadLetter.MQTT_ERROR;
    public static final String PARTITION_BROKER = "broker";

    private static final Logger log = LoggerFactory.getLogger(SourceRecordMapper.class);

    private final TopicMappings topics;
    private final RecordKeyMode keyMode;
    private final JsonPointer keyPointer;
    private final String dlqTopic;
    private final int maxPayload;

    /** What of an oversize payload its dead letter keeps. */
    static final int OVERSIZE_PREVIEW = 64 * 1024;

    /**
     * @param keyPointer where the key is with {@link RecordKeyMode#PAYLOAD}, else ignored
     * @param dlqTopic the dead-letter topic, or null
     * @param maxPayload the largest payload sent to Kafka as a record
     */
    public SourceRecordMapper(
            TopicMappings topics,
            RecordKeyMode keyMode,
            JsonPointer keyPointer,
            String dlqTopic,
            int maxPayload) {
        this.topics = topics;
        this.keyMode = keyMode;
        this.keyPointer = keyPointer;
        this.dlqTopic = dlqTopic;
        this.maxPayload = maxPayload;
    }

    /**
     * The record for {@code message}, or empty when it has nowhere to go: its topic matches no
     * filter (a subscription left in the persistent session by an earlier configuration) and no
     * dead-letter topic is set.
     */
    public Optional<SourceRecord> toRecord(MqttDelivery message) {
        Optional<String> mapped = topics.kafkaTopicFor(message.topic());
        if (mapped.isEmpty()) {
            String reason = "no mqtt.topics entry matches MQTT topic " + message.topic();
            if (dlqTopic == null) {
                log.warn("Dropping a message from {}: {}", message.broker().entry(), reason);
                return Optional.empty();
            }
            return Optional.of(record(message, dlqTopic, null, reason));
        }
        if (message.payload().length > maxPayload) {
            String reason =
                    "payload of "
                            + message.payload().length
                            + " bytes is over mqtt.max.payload.bytes ("
                            + maxPayload
                            + "); its first "
                            + Math.min(OVERSIZE_PREVIEW, maxPayload)
                            + " bytes are kept here";
            if (dlqTopic == null) {
                log.error("Dropping a message on {}: {}", message.topic(), reason);
                return Optional.empty();
            }
            byte[] preview =
                    Arrays.copyOf(message.payload(), Math.min(OVERSIZE_PREVIEW, maxPayload));
            return Optional.of(record(message, preview, dlqTopic, null, reason));
        }
        String key;
        try {
            key = key(message);
        } catch (UnusablePayloadException e) {
            if (dlqTopic != null) {
                return Optional.of(record(message, dlqTopic, null, e.getMessage()));
            }
            log.warn(
                    "Message on {} goes to {} without a key: {}",
                    message.topic(),
                    mapped.get(),
                    e.getMessage());
            return Optional.of(record(message, mapped.get(), null, null));
        }
        return Optional.of(record(message, mapped.get(), key, null));
    }

    private String key(MqttDelivery message) throws UnusablePayloadException {
        return switch (keyMode) {
            case MQTT_TOPIC -> message.topic();
            case PAYLOAD -> JsonPointers.textAt(message.payload(), keyPointer);
            case NONE -> null;
        };
    }

    private static SourceRecord record(
            MqttDelivery message, String kafkaTopic, String key, String error) {
        return record(message, message.payload(), kafkaTopic, key, error);
    }

    private static SourceRecord record(
            MqttDelivery message, byte[] value, String kafkaTopic, String key, String error) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_TOPIC, message.topic());
        headers.addString(HEADER_QOS, Integer.toString(message.qos()));
        headers.addString(HEADER_RECEIVED, Long.toString(message.receivedMs()));
        headers.addString(HEADER_BROKER, message.broker().entry());
        if (error != null) {
            headers.addString(HEADER_ERROR, error);
        }
        // No source offset: MQTT has no position to resume from; the persistent session is what
        // resumes, and Connect accepts a null offset.
        return new SourceRecord(
                Map.of(PARTITION_BROKER, message.broker().entry()),
                null,
                kafkaTopic,
                null,
                Schema.OPTIONAL_STRING_SCHEMA,
                key,
                Schema.BYTES_SCHEMA,
                value,
                message.receivedMs(),
                headers);
    }
}
