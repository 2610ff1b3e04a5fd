package dev.millrace.stack.bench;

import dev.millrace.local.TopicTail;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * When each record of a topic first reached a consumer in this JVM, by a key read from its value:
 * the boundary between two stages of a pipeline, seen from outside as a client would see it. It
 * follows the topic from its end, read_committed, as the next stage reads it; a topic written
 * without transactions is seen as soon as it is written.
 */
final class StageClock implements AutoCloseable {
    /** A record's first sighting: when, and the timestamp its producer gave it. */
    private record Sighting(long nanos, long stampMillis) {}

    private final Map<Long, Sighting> sightings = new ConcurrentHashMap<>();
    private final TopicTail tail;

    /** Returns once it follows the topic; {@code key} gives null for a record that is not timed. */
    StageClock(String bootstrapServers, String topic, Function<byte[], Long> key)
            throws InterruptedException {
        tail =
                new TopicTail(
                        bootstrapServers,
                        topic,
                        true,
                        record -> {
                            long now = System.nanoTime();
                            Long k = key.apply(record.value());
                            if (k != null) {
                                sightings.putIfAbsent(k, new Sighting(now, record.timestamp()));
                            }
                        });
    }

    /** When the record with {@code key} was first read, in {@link System#nanoTime()}; or null. */
    Long seenAt(long key) {
        Sighting sighting = sightings.get(key);
        return sighting == null ? null : sighting.nanos();
    }

    /**
     * The timestamp of the record with {@code key}, in epoch milliseconds, as its producer set it:
     * for the MQTT source connector, when the message reached it; or null.
     */
    Long stampedAt(long key) {
        Sighting sighting = sightings.get(key);
        return sighting == null ? null : sighting.stampMillis();
    }

    @Override
    public void close() throws InterruptedException {
        tail.close();
    }
}
