package dev.millrace.flink;

import dev.millrace.deadletter.DeadLetterHeaders;
import org.slf4j.Logger;

/** Dead letters of the jobs: as the Streams topologies write them. */
final class DeadLetters {
    private DeadLetters() {}

    /**
     * The input record, unchanged, for the dead-letter topic, with the headers naming where it came
     * from and why; logged in one line.
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
                KafkaRecord.headers(
                        DeadLetterHeaders.of(
                                error, record.topic(), record.partition(), record.offset())));
    }
}
