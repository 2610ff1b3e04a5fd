package dev.millrace.flink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka record as the jobs see it: read from a topic (with where it was read) or to be written to
 * one. A public record, so Flink serializes it as a POJO, never with Kryo.
 *
 * @param topic the topic it was read from, or is to be written to
 * @param partition the partition it was read from; -1 for one to be written (the key decides)
 * @param offset its offset; -1 for one to be written
 * @param timestamp the record time, epoch milliseconds
 * @param key the key bytes, or null
 * @param value the value bytes, or null
 * @param headers the headers that matter, by name (the last of each name)
 */
public record KafkaRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        byte[] key,
        byte[] value,
        Map<String, byte[]> headers) {

    /** A record to write to {@code topic}. */
    public static KafkaRecord to(
            String topic, long timestamp, byte[] key, byte[] value, Map<String, byte[]> headers) {
        return new KafkaRecord(topic, -1, -1, timestamp, key, value, headers);
    }

    /** The key as UTF-8 text, or "" when there is none. */
    public String keyText() {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }

    /** A header as UTF-8 text, or null. */
    public String header(String name) {
        byte[] header = headers == null ? null : headers.get(name);
        return header == null ? null : new String(header, StandardCharsets.UTF_8);
    }

    /** Headers from text values, in order. */
    public static Map<String, byte[]> headers(Map<String, String> text) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        text.forEach((name, value) -> headers.put(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof KafkaRecord that)) {
            return false;
        }
        if (!(partition == that.partition
                && offset == that.offset
                && timestamp == that.timestamp
                && Objects.equals(topic, that.topic)
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value))) {
            return false;
        }
        Map<String, byte[]> mine = headers == null ? Map.of() : headers;
        Map<String, byte[]> theirs = that.headers == null ? Map.of() : that.headers;
        return mine.size() == theirs.size()
                && mine.entrySet().stream()
                        .allMatch(e -> Arrays.equals(e.getValue(), theirs.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
        return topic
                + "-"
                + partition
                + "@"
                + offset
                + " "
                + keyText()
                + " "
                + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
    }
}
