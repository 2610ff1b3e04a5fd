package dev.millrace.flink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/** A job's topics as lists: each source emits its records, the outputs are collected. */
final class TestIo implements JobIo {
    private final Map<String, List<KafkaRecord>> inputs = new HashMap<>();
    private DataStream<KafkaRecord> outputs;

    TestIo input(String topic, List<KafkaRecord> records) {
        inputs.put(topic, records);
        return this;
    }

    @Override
    public DataStream<KafkaRecord> source(StreamExecutionEnvironment env, String topic) {
        List<KafkaRecord> records = inputs.getOrDefault(topic, List.of());
        if (records.isEmpty()) {
            // A collection source needs one element: an empty topic is one filtered out.
            KafkaRecord none = KafkaRecord.to(topic, 0, null, null, List.of());
            return env.fromData(List.of(none), TypeInformation.of(KafkaRecord.class))
                    .filter(r -> false)
                    .name(topic);
        }
        return env.fromData(records, TypeInformation.of(KafkaRecord.class)).name(topic);
    }

    @Override
    public void sink(DataStream<KafkaRecord> records, String job) {
        outputs = records;
    }

    /** Runs the job to the end of its inputs and returns every output record. */
    List<KafkaRecord> run() throws Exception {
        List<KafkaRecord> collected = new ArrayList<>();
        try (CloseableIterator<KafkaRecord> all = outputs.executeAndCollect()) {
            all.forEachRemaining(collected::add);
        }
        return collected;
    }

    /** The outputs written to {@code topic}, in order. */
    static List<KafkaRecord> to(List<KafkaRecord> outputs, String topic) {
        return outputs.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** A record as read from {@code topic} partition 0 at {@code offset}. */
    static KafkaRecord read(
            String topic,
            long offset,
            long timestamp,
            byte[] key,
            byte[] value,
            List<KafkaRecord.Header> headers) {
        return new KafkaRecord(topic, 0, offset, timestamp, key, value, headers);
    }
}
