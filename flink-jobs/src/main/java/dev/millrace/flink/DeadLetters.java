package dev.millrace.flink;

import dev.millrace.deadletter.DeadLetterHeaders;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** Dead letters of the jobs: as the Streams topologies write them. */
final class DeadLetters {
    private DeadLetters() {}

    /**
     * The input record, unchanged (headers included), for the dead-letter topic, with the headers
     * naming where it came from and why; logged in one line.
     */
    static KafkaRecord of(KafkaRecord record, Exception error, String deadLetters, Logger log) {
        log.warn(
                "dead-lettered {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                DeadLetterHeaders.reason(error));
        return KafkaRecord.to(
                deadLetters,
                record.timestamp(),
                record.key(),
                record.value(),
                withReason(record, error));
    }

    /** The record's own headers (the MQTT topic a redrive needs), then where and why. */
    private static List<KafkaRecord.Header> withReason(KafkaRecord record, Exception error) {
        List<KafkaRecord.Header> headers = new ArrayList<>(record.headers());
        headers.addAll(
                KafkaRecord.headers(
                        DeadLetterHeaders.of(
                                error, record.topic(), record.partition(), record.offset())));
        return headers;
    }
}
