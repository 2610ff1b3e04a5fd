package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecurityContextTest {

    @Test
    void hashesThePayloadAsStored() {
        SecurityContext context =
                SecurityContext.of(
                        "ledger",
                        "127.0.0.1",
                        null,
                        Instant.parse("2026-11-23T09:15:30Z"),
                        "hello audit".getBytes(StandardCharsets.UTF_8));
        // sha256("hello audit"), worked out separately
        assertThat(context.payloadSha256())
                .isEqualTo("5254a6260dd606bbebbb895032a35a8a190a57c12639121585fb089c150ed06d");
        assertThat(context.userAgent()).isEmpty();
    }

    @Test
    void archiveKeysAreTheUtcDateTimeAndTheId() {
        assertThat(
                        ArchiveKeys.key(
                                OffsetDateTime.parse("2026-11-23T10:15:30+01:00"),
                                "1b4e28ba-2fa1-11d2-883f-0016d3cca427"))
                .isEqualTo("2026/11/23/09/15/30/1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    }

    @Test
    void anIdempotencyKeyGivesTheSameMessageIdForTheSameApiKey() {
        UUID first = MessageIds.forRequest("ledger", "order-7");
        assertThat(MessageIds.forRequest("ledger", "order-7")).isEqualTo(first);
        assertThat(MessageIds.forRequest("other", "order-7")).isNotEqualTo(first);
        assertThat(MessageIds.forRequest("ledger", null))
                .isNotEqualTo(MessageIds.forRequest("ledger", null));
    }
}
