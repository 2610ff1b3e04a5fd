package dev.millrace.wis2;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The anti-loop rules that come before any data id is looked at: a message whose {@code id} was
 * seen within the retention is a copy (from another broker, or coming back round), and a message
 * this cache republished itself is never taken in again.
 */
public final class SeenIds {
    private final String centreId;
    private final Duration retention;

    public SeenIds(String centreId, Duration retention) {
        this.centreId = centreId;
        this.retention = retention;
    }

    /** Why the message is dropped, or empty when it goes on to the data id rules. */
    public Optional<String> dropReason(Notification notification, Instant lastSeen, Instant now) {
        if (notification.globalCache().filter(centreId::equals).isPresent()) {
            return Optional.of("republished by this cache (" + centreId + ")");
        }
        if (lastSeen != null && !lastSeen.isBefore(now.minus(retention))) {
            return Optional.of("id " + notification.id() + " seen at " + lastSeen);
        }
        return Optional.empty();
    }

    public Duration retention() {
        return retention;
    }
}
