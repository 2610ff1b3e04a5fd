package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeenIdsTest {
    private static final Instant NOW = Instant.parse("2026-03-15T12:05:00Z");
    private final SeenIds seen = new SeenIds("fr-meteofrance-global-cache", Duration.ofHours(24));

    @Test
    void anIdSeenWithinTheRetentionIsACopy() {
        Notification n = Wnm.canonical("a", "2026-03-15T12:04:31Z");
        assertThat(seen.dropReason(n, null, NOW)).isEmpty();
        assertThat(seen.dropReason(n, NOW.minus(Duration.ofHours(23)), NOW))
                .contains("id a seen at 2026-03-14T13:05:00Z");
        assertThat(seen.dropReason(n, NOW.minus(Duration.ofHours(25)), NOW)).isEmpty();
    }

    @Test
    void ourOwnRepublishedMessagesNeverComeBackIn() {
        Notification ours =
                Notification.of(
                        CacheNotifications.republished(
                                Wnm.noCache("a", "2026-03-15T12:04:31Z"),
                                "fr-meteofrance-global-cache"));
        assertThat(seen.dropReason(ours, null, NOW))
                .contains("republished by this cache (fr-meteofrance-global-cache)");
        Notification another =
                Notification.of(
                        CacheNotifications.republished(
                                Wnm.noCache("a", "2026-03-15T12:04:31Z"), "other-gc"));
        assertThat(seen.dropReason(another, null, NOW)).isEmpty();
    }
}
