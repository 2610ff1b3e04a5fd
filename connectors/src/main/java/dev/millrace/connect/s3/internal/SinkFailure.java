package dev.millrace.connect.s3.internal;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * A step of a put that failed: the task decides whether it is retried ({@code S3SinkTask}'s
 * backoff) from its cause.
 */
public final class SinkFailure extends ConnectException {
    private final String action;
    private final int records;

    SinkFailure(String action, int records, Throwable cause) {
        super("Cannot " + action + ": " + S3Failures.describe(cause), cause);
        this.action = action;
        this.records = records;
    }

    public String action() {
        return action;
    }

    public int records() {
        return records;
    }
}
