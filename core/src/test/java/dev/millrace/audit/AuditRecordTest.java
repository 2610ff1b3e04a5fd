package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import dev.millrace.schemas.Schemas;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The ingest writes and the workflow reads {@code audit.messages} records with the same type. */
class AuditRecordTest {
    private static final byte[] PAYLOAD = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    private static final SecurityContext CONTEXT =
            SecurityContext.of(
                    "key-1",
                    "10.0.0.7",
                    "client/1.0",
                    Instant.parse("2026-11-23T12:00:00Z"),
                    PAYLOAD);

    private static AuditRecord record(AuditRecord.Payload payload) throws Exception {
        ObjectNode meta =
                (ObjectNode)
                        Json.mapper()
                                .readTree(
                                        """
                                        {"messageType": "audit", "sourceSystemID": "erp",
                                         "sourceTransactionID": "tx-1",
                                         "dateTime": "2026-11-23T12:00:00Z"}
                                        """);
        return AuditRecord.of("6f1c1f4e-2a7d-5a8e-9d2b-7c0e4b1a9f35", meta, CONTEXT, payload);
    }

    @Test
    void anInlineRecordCarriesThePayloadAsBase64AndReadsBackWithoutIt() throws Exception {
        AuditRecord record = record(AuditRecord.Payload.inline("application/octet-stream", 5));

        byte[] written = record.toJson(PAYLOAD);

        JsonNode json = Json.mapper().readTree(written);
        assertThat(Schemas.get("audit/message-record").validate(json)).isEmpty();
        assertThat(Base64.getDecoder().decode(json.at("/payload/inline").asText()))
                .isEqualTo(PAYLOAD);
        assertThat(json.at("/payload/size").asLong()).isEqualTo(5);
        assertThat(AuditRecord.parse(written)).isEqualTo(record);
        assertThat(AuditRecord.parse(written).payloadSha256())
                .isEqualTo(SecurityContext.sha256Hex(PAYLOAD));
    }

    @Test
    void aStagedRecordCarriesItsClaimCheck() throws Exception {
        AuditRecord record =
                record(
                        AuditRecord.Payload.staged(
                                "application/json", 7_000_000, "staging", "staging/x"));

        byte[] written = record.toJson(null);

        JsonNode json = Json.mapper().readTree(written);
        assertThat(Schemas.get("audit/message-record").validate(json)).isEmpty();
        assertThat(json.at("/payload/s3/bucket").asText()).isEqualTo("staging");
        assertThat(json.at("/payload/s3/key").asText()).isEqualTo("staging/x");
        assertThat(json.at("/payload").has("inline")).isFalse();
        assertThat(AuditRecord.parse(written)).isEqualTo(record);
    }
}
