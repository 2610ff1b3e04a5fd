package dev.millrace.connect.s3.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The completion topic: one report per archived or salvaged record (or batch), on the source
 * record's partition number, so that completions co-partition with their records. Off when the
 * connector has no {@code completion.topic}.
 */
public final class Completions {
    private final String topic;
    private final Producer<byte[], byte[]> producer;

    /**
     * @param topic the completion topic, or null for none
     * @param producer its producer, or null for none
     */
    public Completions(String topic, Producer<byte[], byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    public boolean on() {
        return producer != null;
    }

    /** The reports of what became of each record, when completions are on. */
    List<ProducerRecord<byte[], byte[]>> of(List<Archival> archivals) {
        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
        if (!on()) {
            return messages;
        }
        for (Archival archival : archivals) {
            byte[] message = archival.completion();
            if (message != null) {
                messages.add(
                        message(
                                archival.record.partition(),
                                archival.record.keyBytes(),
                                archival.at,
                                message));
            }
        }
        return messages;
    }

    ProducerRecord<byte[], byte[]> message(int partition, byte[] key, Instant at, byte[] value) {
        return new ProducerRecord<>(topic, partition, at.toEpochMilli(), key, value);
    }

    /** Sends the reports and waits until Kafka has them all. */
    void send(List<ProducerRecord<byte[], byte[]>> messages) {
        if (!on() || messages.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
        try {
            for (ProducerRecord<byte[], byte[]> message : messages) {
                sent.add(producer.send(message));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new SinkFailure("send completions to " + topic, messages.size(), e.getCause());
        } catch (KafkaException e) {
            throw new SinkFailure("send completions to " + topic, messages.size(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while sending completions", e);
        }
    }
}
