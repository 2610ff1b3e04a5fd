package dev.millrace.stack.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each record of a topic first reached a consumer in this JVM, by a key read from its value:
 * the boundary between two stages of a pipeline, seen from outside as a client would see it. Reads
 * every partition from its end, with no group, with the isolation level the next stage reads with.
 */
final class StageClock implements AutoCloseable {
    private final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code key} gives null for a record that is not timed. */
    StageClock(
            Properties client,
            String topic,
            boolean readCommitted,
            Function<byte[], Long> key,
            String name) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        // At the end before the run starts, so that no record of it is missed.
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread =
                new Thread(
                        () -> {
                            while (running) {
                                for (ConsumerRecord<byte[], byte[]> record :
                                        consumer.poll(Duration.ofMillis(100))) {
                                    long now = System.nanoTime();
                                    Long k = key.apply(record.value());
                                    if (k != null) {
                                        seenAt.putIfAbsent(k, now);
                                    }
                                }
                            }
                            consumer.close();
                        },
                        name);
        thread.setDaemon(true);
        thread.start();
    }

    /** When the record with {@code key} was first read, in {@link System#nanoTime()}; or null. */
    Long seenAt(long key) {
        return seenAt.get(key);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
