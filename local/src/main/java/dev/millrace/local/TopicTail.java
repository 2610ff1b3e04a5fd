package dev.millrace.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows a topic as it grows, read_committed, handing each record to a callback on a thread of its
 * own: what benches and fault runs watch a pipeline's output with.
 */
public final class TopicTail implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * Starts following {@code topic} from its beginning, or from its end now; returns once the
     * consumer has its positions, so that nothing written after this call is missed.
     */
    public TopicTail(
            String bootstrapServers,
            String topic,
            boolean fromEnd,
            Consumer<ConsumerRecord<byte[], byte[]>> onRecord)
            throws InterruptedException {
        consumer = TopicReader.consumer(bootstrapServers, IsolationLevel.READ_COMMITTED);
        thread =
                new Thread(
                        () -> follow(topic, fromEnd, onRecord), "tail-" + topic.replace('.', '-'));
        thread.setDaemon(true);
        thread.start();
        if (!positioned.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("could not start reading " + topic);
        }
    }

    private void follow(
            String topic, boolean fromEnd, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            if (fromEnd) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(onRecord);
            }
        } catch (WakeupException closing) {
            // close() asked the poll to end.
        } finally {
            positioned.countDown();
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
