package dev.millrace.streams.internal;

import dev.millrace.deadletter.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;

/**
 * Builds dead-letter records: the source record's raw key, value and headers, unchanged, with the
 * {@link DeadLetterHeaders} naming the source topic, partition, offset and the error.
 */
public final class DeadLetters {
    public static final String HEADER_EXCEPTION = DeadLetterHeaders.EXCEPTION;
    public static final String HEADER_MESSAGE = DeadLetterHeaders.MESSAGE;
    public static final String HEADER_TOPIC = DeadLetterHeaders.TOPIC;
    public static final String HEADER_PARTITION = DeadLetterHeaders.PARTITION;
    public static final String HEADER_OFFSET = DeadLetterHeaders.OFFSET;

    /** Dead-letter lines each logger writes at most in {@link #LOG_WINDOW_MS}. */
    static final int LOG_LINES = 20;

    static final long LOG_WINDOW_MS = 10_000;
    private static final Map<String, LogThrottle> THROTTLES = new ConcurrentHashMap<>();

    private DeadLetters() {}

    /**
     * One warning for a dead letter, unless its logger has written {@link #LOG_LINES} in this
     * window; the first line of the next window says how many were left out. Every dead letter is
     * on its topic whatever the log says.
     */
    private static void warn(Logger log, String format, Object... arguments) {
        LogThrottle.Decision decision =
                THROTTLES
                        .computeIfAbsent(
                                log.getName(),
                                name -> new LogThrottle(LOG_LINES, LOG_WINDOW_MS, System::nanoTime))
                        .next();
        if (decision.leftOutBefore() > 0) {
            log.warn(
                    "{} more dead letters in the last {} s were not logged; the dead-letter topic"
                            + " has every one",
                    decision.leftOutBefore(),
                    LOG_WINDOW_MS / 1000);
        }
        if (decision.log()) {
            log.warn(format, arguments);
        }
    }

    /** The dead-letter topic configured for the application, or null when there is none. */
    public static String topic(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        return topic == null || topic.toString().isBlank() ? null : topic.toString();
    }

    public static List<ProducerRecord<byte[], byte[]>> records(
            String dlqTopic,
            byte[] key,
            byte[] value,
            ErrorHandlerContext context,
            Exception error) {
        if (dlqTopic == null) {
            return List.of();
        }
        Headers headers =
                headers(
                        context.headers(),
                        error,
                        context.topic(),
                        context.partition(),
                        context.offset());
        return List.of(new ProducerRecord<>(dlqTopic, null, key, value, headers));
    }

    /**
     * The headers of a dead letter: the record's own, if any (the MQTT topic a redrive needs), then
     * where it came from and why it is dead.
     */
    public static Headers headers(
            Headers own, Exception error, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders(own == null ? null : own.toArray());
        DeadLetterHeaders.of(error, topic, partition, offset)
                .forEach((name, value) -> headers.add(name, utf8(value)));
        return headers;
    }

    /**
     * Logs one line for a record being dead-lettered (within the log's budget) and builds its dead
     * letter from the source record's raw bytes, which the context carries for every kind of
     * failure.
     *
     * @param what the failure, as it reads in the log line
     */
    public static List<ProducerRecord<byte[], byte[]>> deadLetter(
            Logger log,
            String dlqTopic,
            ErrorHandlerContext context,
            Exception error,
            String what) {
        warn(
                log,
                "dead-lettered {}-{}@{} ({}) to {}: {}",
                context.topic(),
                context.partition(),
                context.offset(),
                what,
                dlqTopic,
                reason(error));
        return records(dlqTopic, context.sourceRawKey(), context.sourceRawValue(), context, error);
    }

    /**
     * A record for a topology's explicit dead-letter branch: its own key, value and timestamp, with
     * the headers naming where it came from and why, logged in one line (within the log's budget).
     */
    public static Record<byte[], byte[]> branch(
            Logger log,
            ProcessorContext<?, ?> context,
            Record<byte[], byte[]> record,
            Exception error) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        warn(
                log,
                "dead-lettered {}-{}@{}: {}",
                source.topic(),
                source.partition(),
                source.offset(),
                reason(error));
        return record.withHeaders(
                headers(
                        record.headers(),
                        error,
                        source.topic(),
                        source.partition(),
                        source.offset()));
    }

    /** The error's message, or its cause's when the error only wraps it. */
    public static String reason(Throwable error) {
        return DeadLetterHeaders.reason(error);
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
