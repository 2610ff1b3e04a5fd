package dev.millrace.flink;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job reads and writes: Kafka when it runs, anything a test injects. Every output record
 * names its topic.
 */
public interface JobIo {
    /** The records of {@code topic}, in partition order. */
    DataStream<KafkaRecord> source(StreamExecutionEnvironment env, String topic);

    /** Writes each record to its topic; {@code job} names the sink and its transactions. */
    void sink(DataStream<KafkaRecord> records, String job);
}
