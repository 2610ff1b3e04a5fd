package dev.millrace.wis2;

/** A message that is not a usable WIS2 notification; the message says why. */
public final class InvalidNotificationException extends RuntimeException {
    public InvalidNotificationException(String reason) {
        super(reason);
    }

    public InvalidNotificationException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
