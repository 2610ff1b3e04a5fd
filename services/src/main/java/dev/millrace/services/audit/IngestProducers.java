package dev.millrace.services.audit;

import dev.millrace.config.KafkaSettings;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ingest's producer: idempotent with acks=all, so that a 202 means the record is on every
 * in-sync replica, and no linger, since every request waits for its own acknowledgement.
 */
public final class IngestProducers {
    private IngestProducers() {}

    public static KafkaProducer<byte[], byte[]> create(KafkaSettings kafka) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
