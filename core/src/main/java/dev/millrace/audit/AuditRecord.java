package dev.millrace.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A record on {@code audit.messages}, as the ingest writes it and the workflow reads it: the
 * message id, the sender's metadata, the security context the service captured, and where the
 * payload is: inline (base64, up to {@code audit.inline-max}) or staged in S3 as a claim check.
 * Reading skips the inline payload itself, which is the S3 sink's to archive.
 *
 * @param payloadSha256 the SHA-256 of the payload, from the security context
 */
public record AuditRecord(
        String messageId,
        ObjectNode metaData,
        ObjectNode securityContext,
        String payloadSha256,
        Payload payload) {

    /**
     * Where the record's payload is.
     *
     * @param stagedBucket the claim check's bucket, or null when the payload is inline
     * @param stagedKey the claim check's key, or null
     */
    public record Payload(String contentType, long size, String stagedBucket, String stagedKey) {
        public static Payload inline(String contentType, long size) {
            return new Payload(contentType, size, null, null);
        }

        public static Payload staged(String contentType, long size, String bucket, String key) {
            return new Payload(contentType, size, bucket, key);
        }

        public boolean isStaged() {
            return stagedBucket != null;
        }
    }

    /** The record of a request: its id, metadata, security context and payload's place. */
    public static AuditRecord of(
            String messageId, ObjectNode metaData, SecurityContext context, Payload payload) {
        return new AuditRecord(
                messageId,
                metaData,
                Json.mapper().valueToTree(context),
                context.payloadSha256(),
                payload);
    }

    /**
     * The record's value: {@code payload.inline} carries {@code inline} as base64, written straight
     * from the bytes, or {@code payload.s3} the claim check.
     *
     * @param inline the payload bytes when not staged, else ignored
     */
    public byte[] toJson(byte[] inline) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(payload.isStaged() ? 1024 : inline.length * 4 / 3 + 1024);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            json.setCodec(Json.mapper());
            json.writeStartObject();
            json.writeStringField("messageID", messageId);
            json.writeObjectField("messageMetaData", metaData);
            json.writeObjectField("messageSecurityContext", securityContext);
            json.writeObjectFieldStart("payload");
            if (payload.isStaged()) {
                json.writeObjectFieldStart("s3");
                json.writeStringField("bucket", payload.stagedBucket());
                json.writeStringField("key", payload.stagedKey());
                json.writeEndObject();
            } else {
                json.writeFieldName("inline");
                json.writeBinary(inline);
            }
            json.writeStringField("contentType", payload.contentType());
            json.writeNumberField("size", payload.size());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static AuditRecord parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        String id = null;
        ObjectNode meta = null;
        ObjectNode security = null;
        Payload payload = null;
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
                    case "payload" -> payload = payload(parser, token);
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
        if (payload == null) {
            throw new IllegalArgumentException("the record has no payload object");
        }
        return new AuditRecord(id, meta, security, sha.asText(), payload);
    }

    /** The payload's type, size and claim check; its inline bytes are skipped, not read. */
    private static Payload payload(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String contentType = null;
        long size = -1;
        String bucket = null;
        String key = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "contentType" -> contentType = value.isScalarValue() ? parser.getText() : null;
                case "size" -> size = value.isNumeric() ? parser.getLongValue() : -1;
                case "s3" -> {
                    ObjectNode s3 = objectOrNull(parser, value);
                    if (s3 != null) {
                        bucket = s3.path("bucket").asText(null);
                        key = s3.path("key").asText(null);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return new Payload(contentType, size, bucket, key);
    }

    private static ObjectNode objectOrNull(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        return parser.readValueAsTree();
    }
}
