package dev.millrace.connect.s3.internal;

/**
 * A record that cannot be archived for a reason in the record itself, so retrying cannot help; the
 * message is one line, fit for a log, a dead-letter header and a salvage envelope.
 */
public final class UnwritableRecordException extends Exception {
    public UnwritableRecordException(String reason) {
        super(reason, null, false, false);
    }
}
