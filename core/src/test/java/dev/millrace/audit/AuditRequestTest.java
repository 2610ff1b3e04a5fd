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
        return AuditRequest.parse(body.getBytes(StandardCharsets.UTF_8), 6 * 1024 * 1024);
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
    void refusesMetadataOverWhatARecordCarries() {
        String big = "x".repeat(AuditRequest.MAX_METADATA_BYTES);
        String meta = META.replace("}", ", \"note\": \"" + big + "\"}");
        assertThatThrownBy(
                        () -> parse("{\"messageMetaData\": " + meta + ", \"messagePayload\": 1}"))
                .hasMessageStartingWith("messageMetaData is ")
                .hasMessageEndingWith(
                        " bytes as JSON, over the 65536 a record carries; large content belongs in"
                                + " messagePayload");
        String payload = "{\"messageMetaData\": " + META + ", \"messagePayload\": \"" + big + "\"}";
        assertThat(parse(payload).payload()).hasSize(big.length() / 4 * 3);
    }

    @Test
    void refusesAFieldTwiceAndAnythingAfterTheBody() {
        String body = "{\"messageMetaData\": " + META + ", \"messagePayload\": {\"a\": 1}}";
        assertThat(parse(body).payload()).isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> parse(body.replace("}}", "}, \"messagePayload\": \"QUJD\"}")))
                .hasMessageStartingWith("malformed JSON: Duplicate field 'messagePayload'");
        assertThatThrownBy(() -> parse(body + " {}"))
                .hasMessageStartingWith("malformed JSON: Trailing token");
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
                                                + META.replace(
                                                        "2026-11-23T10:15:30+01:00", "yesterday")
                                                + ", \"messagePayload\": 1}"))
                .hasMessageContaining(
                        "dateTime must be an RFC 3339 date-time or yyyy-MM-dd HH:mm:ss.ffffff"
                                + " (UTC), got 'yesterday'");
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

    /** The sample's own test message: its date-time form, extra metadata, wrapped base64. */
    @Test
    void takesWhatTheAwsSamplesClientsSend() {
        AuditRequest request =
                parse(
                        """
                        {"messageMetaData": {"messageType": "imageB64",
                          "sourceSystemID": "IngestMessageJavaClient",
                          "sourceTransactionID": "18a9838c-356c-4653-a983-8c356c86535f",
                          "dateTime": "2021-07-03 16:21:12.357246",
                          "region": "eu-west-1", "tags": ["a", "b"]},
                         "messagePayload": "aGVsbG8g\\r\\nYXVkaXQ=\\n"}
                        """);
        assertThat(request.dateTime())
                .isEqualTo(OffsetDateTime.parse("2021-07-03T16:21:12.357246Z"));
        assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("hello audit");
        assertThat(request.metaData().path("region").asText()).isEqualTo("eu-west-1");
        assertThat(request.metaData().path("tags")).hasSize(2);
    }

    @Test
    void boundsThePayloadDecodedNotTheBody() {
        String fiveBytesAsBase64 = "aGVsbG8=";
        String request = "{\"messageMetaData\": " + META + ", \"messagePayload\": \"%s\"}";
        assertThat(
                        AuditRequest.parse(
                                        request.formatted(fiveBytesAsBase64)
                                                .getBytes(StandardCharsets.UTF_8),
                                        5)
                                .payload())
                .hasSize(5);
        assertThatThrownBy(
                        () ->
                                AuditRequest.parse(
                                        request.formatted(fiveBytesAsBase64)
                                                .getBytes(StandardCharsets.UTF_8),
                                        4))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("the payload is 5 bytes decoded, over audit.max-payload (4 bytes)");
    }

    @Test
    void aFiveMebibytePayloadSentAsBase64FitsTheDefaultLimits() {
        var settings = AuditSettings.from(dev.millrace.config.Config.defaults(AuditSettings.KEYS));
        long encodedInLines =
                java.util.Base64.getMimeEncoder().encode(new byte[5 * 1024 * 1024]).length;
        assertThat(settings.bodyLimit())
                .isGreaterThan(encodedInLines + 2 * (encodedInLines / 78) + 1024)
                .isLessThanOrEqualTo(settings.maxBody());
    }

    /** Read as it arrives: the payload may come first, other fields are skipped whole. */
    @Test
    void parsesAStreamInAnyFieldOrder() throws Exception {
        String body =
                "{\"messagePayload\": \"aGVsbG8gYXVkaXQ\", \"extra\": {\"a\": [1, {\"b\": 2}]},"
                        + " \"messageMetaData\": "
                        + META
                        + "}";
        AuditRequest request =
                AuditRequest.parse(
                        new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                        1024);
        assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("hello audit");
        assertThat(request.metaData().path("messageType").asText()).isEqualTo("payment");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"messagePayload\": \"aGVs\\nbG8=\", \"messagePayload\":"
                                                + " null, \"messageMetaData\": "
                                                + META
                                                + "}"))
                .hasMessageStartingWith("malformed JSON: Duplicate field 'messagePayload'");
        assertThatThrownBy(() -> parse("")).hasMessage("the body must be a JSON object");
    }
}
