package dev.millrace.connect.s3.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.header.Header;

/**
 * The JSON the sink writes besides the archived objects: completion messages, which tell downstream
 * consumers where a record went, and salvage envelopes, which keep an errant record whole.
 */
public final class ArchiveMessages {
    public static final String ARCHIVED = "archived";
    public static final String SALVAGED = "salvaged";

    private ArchiveMessages() {}

    /**
     * {@code {"topic","partition","offset","bucket","key","size","status":"archived","timestamp"}}
     * for a record written to {@code at}.
     */
    public static byte[] archived(RecordView record, S3Location at, long size, Instant now) {
        ObjectNode json = position(record.topic(), record.partition(), record.offset());
        object(json, at, size);
        json.put("status", ARCHIVED);
        json.put("timestamp", now.toString());
        return bytes(json);
    }

    /** Like {@link #archived} for a batch object, with its start offset and record count. */
    public static byte[] archivedBatch(
            String topic,
            int partition,
            long startOffset,
            int records,
            S3Location at,
            long size,
            Instant now) {
        ObjectNode json = position(topic, partition, startOffset);
        json.put("records", records);
        object(json, at, size);
        json.put("status", ARCHIVED);
        json.put("timestamp", now.toString());
        return bytes(json);
    }

    /** The completion of an errant record: where its envelope went, and why. */
    public static byte[] salvaged(
            RecordView record, S3Location at, long size, String reason, Instant now) {
        ObjectNode json = position(record.topic(), record.partition(), record.offset());
        object(json, at, size);
        json.put("status", SALVAGED);
        json.put("reason", reason);
        json.put("timestamp", now.toString());
        return bytes(json);
    }

    /**
     * The errant record whole: {@code {"topic","partition","offset","timestamp","key","value",
     * "headers","reason"}}, with key, value and header values in base64 (null when absent) and the
     * record timestamp in RFC 3339.
     */
    public static byte[] envelope(RecordView record, String reason) {
        ObjectNode json = position(record.topic(), record.partition(), record.offset());
        Long timestamp = record.timestamp();
        if (timestamp == null || timestamp < 0) {
            json.putNull("timestamp");
        } else {
            json.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
        }
        json.put("key", base64(record.keyBytes()));
        json.put("value", base64(record.valueBytesOrNull()));
        ObjectNode headers = json.putObject("headers");
        for (Header header : record.record().headers()) {
            headers.put(header.key(), base64(headerBytes(header)));
        }
        json.put("reason", reason);
        return bytes(json);
    }

    private static ObjectNode position(String topic, int partition, long offset) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("topic", topic);
        json.put("partition", partition);
        json.put("offset", offset);
        return json;
    }

    private static void object(ObjectNode json, S3Location at, long size) {
        json.put("bucket", at.bucket());
        json.put("key", at.key());
        json.put("size", size);
    }

    private static byte[] headerBytes(Header header) {
        Object value = header.value();
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return Values.convertToString(header.schema(), value).getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return Json.mapper().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values is writable", e);
        }
    }
}
