package dev.millrace.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;

/**
 * What the workflow needs of a record on {@code audit.messages}: its id, the sender's metadata and
 * the security context. The payload (up to {@code audit.inline-max} inline) is skipped, not parsed:
 * it is the S3 sink's to archive.
 *
 * @param payloadSha256 the SHA-256 of the payload, from the security context
 */
public record AuditMessage(
        String messageId, ObjectNode metaData, ObjectNode securityContext, String payloadSha256) {

    /**
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static AuditMessage parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        String id = null;
        ObjectNode meta = null;
        ObjectNode security = null;
        try (JsonParser parser = Json.mapper().getFactory().createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the record is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "messageID" ->
                            id = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "messageMetaData" -> meta = objectOrNull(parser, token);
                    case "messageSecurityContext" -> security = objectOrNull(parser, token);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the record is not JSON: " + e.getMessage());
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("the record has no messageID");
        }
        if (meta == null) {
            throw new IllegalArgumentException("the record has no messageMetaData object");
        }
        JsonNode sha = security == null ? null : security.get("payloadSha256");
        if (sha == null || !sha.isTextual()) {
            throw new IllegalArgumentException(
                    "the record has no messageSecurityContext.payloadSha256");
        }
        return new AuditMessage(id, meta, security, sha.asText());
    }

    private static ObjectNode objectOrNull(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        return parser.readValueAsTree();
    }
}
