package dev.millrace.telemetry;

/**
 * A {@code carCoordinates} payload that is not a fix; the message says what is wrong with it. It
 * carries no stack trace: the payload is at fault, not a place in the code, and a storm of bad
 * fixes should not cost the topology a stack walk each.
 */
public final class MalformedFixException extends RuntimeException {
    public MalformedFixException(String reason) {
        super(reason, null, false, false);
    }
}
