package dev.millrace.flink;

import dev.millrace.config.FlinkSettings;
import dev.millrace.config.KafkaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Kafka sources (read_committed, from the earliest offsets when the job has no state) and one
 * exactly-once Kafka sink per job, its transactional ids prefixed with the job's name.
 */
public final class KafkaIo implements JobIo {
    private final KafkaSettings kafka;
    private final FlinkSettings flink;
    private final String groupPrefix;

    public KafkaIo(KafkaSettings kafka, FlinkSettings flink, String groupPrefix) {
        this.kafka = kafka;
        this.flink = flink;
        this.groupPrefix = groupPrefix;
    }

    private Properties clientProperties() {
        Properties props = new Properties();
        kafka.clientProperties().forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
        props.remove("bootstrap.servers");
        return props;
    }

    @Override
    public DataStream<KafkaRecord> source(StreamExecutionEnvironment env, String topic) {
        Properties props = clientProperties();
        props.setProperty("isolation.level", "read_committed");
        KafkaSource<KafkaRecord> source =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(topic)
                        .setGroupId(groupPrefix)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setProperties(props)
                        .setDeserializer(new Deserializer())
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), topic)
                .uid("source-" + topic)
                .name("kafka " + topic);
    }

    @Override
    public void sink(DataStream<KafkaRecord> records, String job) {
        Properties props = clientProperties();
        props.setProperty(
                "transaction.timeout.ms", String.valueOf(flink.transactionTimeout().toMillis()));
        KafkaSink<KafkaRecord> sink =
                KafkaSink.<KafkaRecord>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setKafkaProducerConfig(props)
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(groupPrefix)
                        .setRecordSerializer(new Serializer())
                        .build();
        records.sinkTo(sink).uid("sink-" + job).name("kafka outputs");
    }

    /** A Kafka record with where it was read from. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
            List<KafkaRecord.Header> headers = new ArrayList<>();
            for (Header header : record.headers()) {
                headers.add(new KafkaRecord.Header(header.key(), header.value()));
            }
            out.collect(
                    new KafkaRecord(
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp(),
                            record.key(),
                            record.value(),
                            headers));
        }

        @Override
        public TypeInformation<KafkaRecord> getProducedType() {
            return TypeInformation.of(KafkaRecord.class);
        }
    }

    /** The record to its topic, partitioned by its key as the Kafka producer does. */
    static final class Serializer implements KafkaRecordSerializationSchema<KafkaRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                KafkaRecord record, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            if (record.headers() != null) {
                record.headers().forEach(header -> headers.add(header.key(), header.value()));
            }
            return new ProducerRecord<>(
                    record.topic(),
                    null,
                    record.timestamp(),
                    record.key(),
                    record.value(),
                    headers);
        }
    }
}
