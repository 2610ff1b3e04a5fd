package dev.millrace.connect.internal;

/** A payload that does not fit what the configuration expects; the message is one line. */
public final class UnusablePayloadException extends Exception {
    public UnusablePayloadException(String reason) {
        super(reason, null, false, false);
    }
}
