package dev.millrace.audit;

/** A request the service refuses as malformed (HTTP 400); the message says what is wrong. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String reason) {
        super(reason);
    }
}
