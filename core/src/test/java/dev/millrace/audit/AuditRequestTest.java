package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class AuditRequestTest {
    private static final String META =
            "{\"messageType\": \"payment\", \"sourceSystemID\": \"ledger\","
                    + " \"sourceTransactionID\": \"tx-42\", \"dateTime\":"
                    + " \"2026-11-23T10:15:30+01:00\"}";

    private static AuditRequest parse(String body) {
        return AuditRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStringPayloadIsBase64AndArchivedDecoded() {
        AuditRequest request =
                parse(
                        "{\"messageMetaData\": "
                                + META
                                + ", \"messagePayload\": \"aGVsbG8gYXVkaXQ=\"}");
        assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("hello audit");
        assertThat(request.contentType()).isEqualTo(AuditRequest.BINARY);
        assertThat(request.dateTime()).isEqualTo(OffsetDateTime.parse("2026-11-23T10:15:30+01:00"));
        assertThat(request.metaData().path("sourceTransactionID").asText()).isEqualTo("tx-42");
    }

    @Test
    void anyOtherJsonPayloadIsArchivedAsItsJsonText() {
        AuditRequest request =
                parse(
                        "{\"messageMetaData\": "
                                + META
                                + ", \"messagePayload\": {\"amount\": 12.5, \"items\": [1, 2]}}");
        assertThat(new String(request.payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"amount\":12.5,\"items\":[1,2]}");
        assertThat(request.contentType()).isEqualTo(AuditRequest.JSON);
        assertThat(
                        new String(
                                parse("{\"messageMetaData\": " + META + ", \"messagePayload\": 7}")
                                        .payload(),
                                StandardCharsets.UTF_8))
                .isEqualTo("7");
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> parse("{\"messageMetaData\": "))
                .hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> parse("[]")).hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> parse("{\"messagePayload\": 1}"))
                .hasMessage("messageMetaData must be an object");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"messageMetaData\": {\"messageType\": \"x\"},"
                                                + " \"messagePayload\": 1}"))
                .hasMessage("messageMetaData.sourceSystemID must be a non-empty string");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"messageMetaData\": "
                                                + META.replace("}", ", \"extra\": 1}")
                                                + ", \"messagePayload\": 1}"))
                .hasMessage("messageMetaData has unknown fields [extra]");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"messageMetaData\": "
                                                + META.replace(
                                                        "2026-11-23T10:15:30+01:00", "yesterday")
                                                + ", \"messagePayload\": 1}"))
                .hasMessageContaining("dateTime must be an RFC 3339 date-time, got 'yesterday'");
        assertThatThrownBy(() -> parse("{\"messageMetaData\": " + META + "}"))
                .hasMessage("messagePayload is required and must not be null");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"messageMetaData\": "
                                                + META
                                                + ", \"messagePayload\": \"not base64!\"}"))
                .hasMessageStartingWith("messagePayload is a string, so it must be base64");
    }
}
