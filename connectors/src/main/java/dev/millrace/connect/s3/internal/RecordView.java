package dev.millrace.connect.s3.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One sink record as the archive sees it: its Kafka position (before any transformation renamed the
 * topic), its key and value as bytes, and its value parsed as JSON at most once, however many
 * tokens and pointers read it.
 */
public final class RecordView {
    private final SinkRecord record;
    private JsonNode json;

    public RecordView(SinkRecord record) {
        this.record = record;
    }

    public SinkRecord record() {
        return record;
    }

    public String topic() {
        return record.originalTopic();
    }

    public int partition() {
        return record.originalKafkaPartition();
    }

    public long offset() {
        return record.originalKafkaOffset();
    }

    /** Epoch milliseconds, or null when the record has none. */
    public Long timestamp() {
        return record.timestamp();
    }

    /** {@code topic-partition@offset}, how logs and errors name a record. */
    public String position() {
        return topic() + "-" + partition() + "@" + offset();
    }

    /** The key as bytes: bytes as they are, anything else as its UTF-8 text; null for none. */
    public byte[] keyBytes() {
        return bytesOf(record.key());
    }

    /** The value as bytes, or null when there is none. */
    public byte[] valueBytesOrNull() {
        return bytesOf(record.value());
    }

    /** The value's bytes; only bytes and strings are archived as they are. */
    public byte[] valueBytes() throws UnwritableRecordException {
        Object value = record.value();
        if (value == null) {
            throw new UnwritableRecordException("value is null");
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new UnwritableRecordException(
                "value is " + value.getClass().getSimpleName() + ", not bytes or a string");
    }

    /** The value parsed as one JSON document. */
    public JsonNode json() throws UnwritableRecordException {
        if (json == null) {
            byte[] bytes = valueBytes();
            try {
                json = Json.input().readTree(bytes);
            } catch (IOException e) {
                throw new UnwritableRecordException("value is not JSON: " + firstLine(e));
            }
            if (json == null || json.isMissingNode()) {
                throw new UnwritableRecordException("value is empty, not JSON");
            }
        }
        return json;
    }

    /** The node at {@code pointer}, or null when there is nothing or JSON null there. */
    public JsonNode nodeAt(JsonPointer pointer) throws UnwritableRecordException {
        JsonNode node = json().at(pointer);
        return node.isMissingNode() || node.isNull() ? null : node;
    }

    /** A string's text, or a number's or boolean's canonical text, at {@code pointer}. */
    public String textAt(JsonPointer pointer) throws UnwritableRecordException {
        JsonNode node = nodeAt(pointer);
        if (node == null) {
            throw new UnwritableRecordException("value has nothing at " + pointer);
        }
        if (!node.isValueNode()) {
            throw new UnwritableRecordException(
                    "value at " + pointer + " is " + typeOf(node) + ", not text");
        }
        return node.asText();
    }

    static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    private static byte[] bytesOf(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String firstLine(IOException e) {
        String message =
                e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                        ? processing.getOriginalMessage()
                        : e.getMessage();
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }
}
