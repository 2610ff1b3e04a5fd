package dev.millrace.audit;

/**
 * A payload over {@code audit.max-payload} once decoded (HTTP 413); the message says by how much.
 */
public final class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(String reason) {
        super(reason);
    }
}
