package dev.millrace.flink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * @param headers its headers, in order
 */
public record KafkaRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        byte[] key,
        byte[] value,
        List<Header> headers) {

    /** One header: a public record, so Flink serializes it as a POJO. */
    public record Header(String key, byte[] value) {}

    /** A record to write to {@code topic}. */
    public static KafkaRecord to(
            String topic, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return new KafkaRecord(topic, -1, -1, timestamp, key, value, headers);
    }

    /** The key as UTF-8 text, or "" when there is none. */
    public String keyText() {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }

    /** The last header named {@code name} as UTF-8 text, or null. */
    public String header(String name) {
        byte[] found = null;
        for (Header header : headers == null ? List.<Header>of() : headers) {
            if (header.key().equals(name)) {
                found = header.value();
            }
        }
        return found == null ? null : new String(found, StandardCharsets.UTF_8);
    }

    /** Headers from text values, in the map's order. */
    public static List<Header> headers(Map<String, String> text) {
        List<Header> headers = new ArrayList<>();
        text.forEach(
                (name, value) ->
                        headers.add(new Header(name, value.getBytes(StandardCharsets.UTF_8))));
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
        List<Header> mine = headers == null ? List.of() : headers;
        List<Header> theirs = that.headers == null ? List.of() : that.headers;
        if (mine.size() != theirs.size()) {
            return false;
        }
        for (int i = 0; i < mine.size(); i++) {
            if (!mine.get(i).key().equals(theirs.get(i).key())
                    || !Arrays.equals(mine.get(i).value(), theirs.get(i).value())) {
                return false;
            }
        }
        return true;
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
