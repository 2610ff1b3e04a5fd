package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NotificationTest {

    private static Notification parse(String json) {
        return Notification.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatTheRulesNeed() {
        Notification n =
                Wnm.update("0b6e3e2c-1a7f-4b8e-9d3c-5f2a1e0c7b91", "2026-03-15T12:04:31.5+01:00");
        assertThat(n.id()).isEqualTo("0b6e3e2c-1a7f-4b8e-9d3c-5f2a1e0c7b91");
        assertThat(n.dataId()).isEqualTo(Wnm.DATA_ID);
        assertThat(n.pubtime()).isEqualTo(Instant.parse("2026-03-15T11:04:31.5Z"));
        assertThat(n.cache()).isTrue();
        assertThat(n.hasLink("update")).isTrue();
        assertThat(n.hasLink("deletion")).isFalse();
        assertThat(n.downloadLink())
                .contains(new Notification.Link("update", "https://example.org/a-v2.bufr4"));
        assertThat(Wnm.noCache("x", "2026-03-15T12:04:31Z").cache()).isFalse();
    }

    @Test
    void prefersTheUpdateLinkAndFallsBackToCanonical() {
        assertThat(Wnm.canonical("x", "2026-03-15T12:04:31Z").downloadLink())
                .contains(new Notification.Link("canonical", "https://example.org/a.bufr4"));
        assertThat(
                        Wnm.notification(
                                        Wnm.builder("x", "2026-03-15T12:04:31Z")
                                                .link("via", "h", null))
                                .downloadLink())
                .isEmpty();
    }

    @Test
    void refusesAFieldTwiceAndAnythingAfterTheNotification() {
        assertThatThrownBy(() -> parse("{\"id\": \"a\", \"id\": \"b\"}"))
                .hasMessageStartingWith("not JSON: Duplicate field 'id'");
        assertThatThrownBy(() -> parse("{\"id\": \"a\"} {}"))
                .hasMessageStartingWith("not JSON: Trailing token");
    }

    @Test
    void namesWhatIsMissingOrMalformed() {
        assertThatThrownBy(() -> parse("{\"id\": 1")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> parse("[]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> parse("{\"properties\": {}}"))
                .hasMessage("id must be a non-empty string");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"id\": \"a\", \"properties\": {\"pubtime\":"
                                                + " \"2026-03-15T12:04:31Z\"}}"))
                .hasMessage("properties.data_id must be a non-empty string");
        assertThatThrownBy(() -> Wnm.canonical("a", "yesterday"))
                .hasMessage("properties.pubtime must be an RFC 3339 date-time, got 'yesterday'");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"id\": \"a\", \"properties\": {\"data_id\": \"d\","
                                                + " \"pubtime\": \"2026-03-15T12:04:31Z\"}}"))
                .hasMessage("links must be an array");
    }
}
