package dev.millrace.deadletter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a dead letter, whichever engine wrote it: where its record came from and why it is
 * dead, under Kafka Streams' own header names, so any tool that reads Streams dead letters reads
 * every dead letter of millrace. The stack trace is left out: the reason is the message, and one
 * line is what an operator reads.
 */
public final class DeadLetterHeaders {
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    private DeadLetterHeaders() {}

    /** The headers, in order, as text. */
    public static Map<String, String> of(
            Throwable error, String topic, int partition, long offset) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(EXCEPTION, error.getClass().getName());
        headers.put(MESSAGE, reason(error));
        headers.put(TOPIC, topic == null ? "" : topic);
        headers.put(PARTITION, String.valueOf(partition));
        headers.put(OFFSET, String.valueOf(offset));
        return headers;
    }

    /** The error's message, or its cause's when the error only wraps it. */
    public static String reason(Throwable error) {
        Throwable t = error;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
