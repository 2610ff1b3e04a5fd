package dev.millrace.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic, as tests check what a pipeline wrote. */
public final class TopicReader {
    private TopicReader() {}

    /**
     * Every record of {@code topic} that a consumer at {@code isolation} can read now: up to the
     * last stable offset when committed, up to the high watermark otherwise. It does not wait for
     * open transactions, so it also shows what a killed writer left uncommitted (read_uncommitted)
     * or that nothing of it was committed (read_committed).
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrapServers, String topic, IsolationLevel isolation) {
        return read(bootstrapServers, topic, isolation, false, Duration.ofSeconds(30));
    }

    /**
     * Every committed record of {@code topic} up to the high watermark taken when the read starts:
     * call it once the writers have stopped. A transaction left open by a killed writer holds the
     * read back until the broker aborts it.
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> readSettled(
            String bootstrapServers, String topic, Duration timeout) {
        return read(bootstrapServers, topic, IsolationLevel.READ_COMMITTED, true, timeout);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrapServers,
            String topic,
            IsolationLevel isolation,
            boolean toHighWatermark,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, isolation)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end;
            if (toHighWatermark) {
                try (KafkaConsumer<byte[], byte[]> hw =
                        consumer(bootstrapServers, IsolationLevel.READ_UNCOMMITTED)) {
                    end = hw.endOffsets(partitions);
                }
            } else {
                end = consumer.endOffsets(partitions);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    if (toHighWatermark) {
                        throw new IllegalStateException(
                                "could not read " + topic + " to its end within " + timeout);
                    }
                    break;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    static KafkaConsumer<byte[], byte[]> consumer(
            String bootstrapServers, IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolation.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
