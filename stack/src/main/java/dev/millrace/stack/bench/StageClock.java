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
    private final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> stampedAt = new ConcurrentHashMap<>();
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
                                seenAt.putIfAbsent(k, now);
                                stampedAt.putIfAbsent(k, record.timestamp());
                            }
                        });
    }

    /** When the record with {@code key} was first read, in {@link System#nanoTime()}; or null. */
    Long seenAt(long key) {
        return seenAt.get(key);
    }

    /**
     * The timestamp of the record with {@code key}, in epoch milliseconds, as its producer set it:
     * for the MQTT source connector, when the message reached it; or null.
     */
    Long stampedAt(long key) {
        return stampedAt.get(key);
    }

    @Override
    public void close() throws InterruptedException {
        tail.close();
    }
}
