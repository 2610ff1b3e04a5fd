package dev.millrace.telemetry;

/** A {@code carCoordinates} payload that is not a fix; the message says what is wrong with it. */
public final class MalformedFixException extends RuntimeException {
    public MalformedFixException(String reason) {
        super(reason);
    }
}
