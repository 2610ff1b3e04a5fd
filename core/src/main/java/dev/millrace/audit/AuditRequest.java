package dev.millrace.audit;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import dev.millrace.time.DateTimes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/**
 * A {@code POST /v1/messages} body: the sender's metadata and the payload, as the bytes to archive.
 * A string payload is base64 (wrapped in lines or not, as {@code base64} and MIME encoders write
 * it) and is archived decoded; any other JSON value is archived as its JSON text. The metadata
 * needs its four fields and keeps any other the sender adds; its {@code dateTime} is RFC 3339 or
 * the AWS sample's {@code yyyy-MM-dd HH:mm:ss.ffffff} in UTC.
 *
 * @param metaData {@code messageMetaData}, as sent
 * @param payload the bytes to archive
 * @param contentType {@code application/json} or {@code application/octet-stream}
 * @param dateTime {@code messageMetaData.dateTime}, parsed
 */
public record AuditRequest(
        ObjectNode metaData, byte[] payload, String contentType, OffsetDateTime dateTime) {

    public static final String JSON = "application/json";
    public static final String BINARY = "application/octet-stream";

    /**
     * The most metadata a record carries, as JSON: it travels with the record through every topic
     * and into its final state, where the payload is archived once and referenced.
     */
    public static final int MAX_METADATA_BYTES = 64 * 1024;

    private static final String[] REQUIRED = {
        "messageType", "sourceSystemID", "sourceTransactionID", "dateTime"
    };

    /**
     * Base64 as senders write it: padded or not, in lines (CRLF or LF, JSON-escaped, between
     * 4-character units, as MIME encoders and {@code base64} wrap it) or in one.
     */
    private static final Base64Variant BASE64 =
            Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(
                    Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

    /**
     * @param maxPayload the largest payload accepted, decoded
     * @throws BadRequestException naming the first problem: not JSON, a missing or empty field, a
     *     bad date-time, a payload that is null or not base64
     * @throws PayloadTooLargeException when the decoded payload is over {@code maxPayload}
     */
    public static AuditRequest parse(byte[] body, long maxPayload) {
        try (JsonParser parser = Json.mapper().createParser(body)) {
            return parse(parser, maxPayload);
        } catch (IOException e) {
            throw new BadRequestException("unreadable body: " + e.getMessage());
        }
    }

    /**
     * The same from a stream, read once: the envelope is parsed as it arrives and a base64 payload
     * decoded straight to its bytes, with no tree or string of it on the way. An {@link
     * IOException} from {@code body} itself (the client went away, a body over its limit) is thrown
     * as it is; {@code body} is left open.
     */
    public static AuditRequest parse(InputStream body, long maxPayload) throws IOException {
        try (JsonParser parser =
                Json.mapper().createParser(body).disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)) {
            return parse(parser, maxPayload);
        }
    }

    private static AuditRequest parse(JsonParser parser, long maxPayload) throws IOException {
        parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode meta = null;
        long metaBytes = 0;
        byte[] bytes = null;
        String contentType = null;
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("the body must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "messageMetaData" -> {
                        long from = parser.currentTokenLocation().getByteOffset();
                        meta = parser.readValueAsTree();
                        metaBytes = parser.currentLocation().getByteOffset() - from;
                    }
                    case "messagePayload" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            bytes = base64(parser);
                            contentType = BINARY;
                        } else if (value != JsonToken.VALUE_NULL) {
                            JsonNode json = parser.readValueAsTree();
                            bytes = Json.mapper().writeValueAsBytes(json);
                            contentType = JSON;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new BadRequestException(
                        "malformed JSON: Trailing token (of type "
                                + trailing
                                + ") found after the body's object");
            }
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        }
        if (!(meta instanceof ObjectNode metaData)) {
            throw new BadRequestException("messageMetaData must be an object");
        }
        for (String field : REQUIRED) {
            JsonNode value = metaData.get(field);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new BadRequestException(
                        "messageMetaData." + field + " must be a non-empty string");
            }
        }
        if (metaBytes > MAX_METADATA_BYTES) {
            int size = metaData.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_METADATA_BYTES) {
                throw new BadRequestException(
                        "messageMetaData is "
                                + size
                                + " bytes as JSON, over the "
                                + MAX_METADATA_BYTES
                                + " a record carries; large content belongs in messagePayload");
            }
        }
        String dateText = metaData.get("dateTime").asText();
        OffsetDateTime dateTime =
                DateTimes.parse(dateText)
                        .orElseThrow(
                                () ->
                                        new BadRequestException(
                                                "messageMetaData.dateTime must be an RFC 3339"
                                                        + " date-time or yyyy-MM-dd"
                                                        + " HH:mm:ss.ffffff (UTC), got '"
                                                        + dateText
                                                        + "'"));
        if (bytes == null) {
            throw new BadRequestException("messagePayload is required and must not be null");
        }
        requireAtMost(maxPayload, bytes.length);
        return new AuditRequest(metaData, bytes, contentType, dateTime);
    }

    /** The current string token, decoded from base64 as the parser reads it. */
    private static byte[] base64(JsonParser parser) throws IOException {
        try {
            return parser.getBinaryValue(BASE64);
        } catch (StreamReadException e) {
            throw new BadRequestException(
                    "messagePayload is a string, so it must be base64: " + e.getOriginalMessage());
        }
    }

    private static void requireAtMost(long maxPayload, long length) {
        if (length > maxPayload) {
            throw new PayloadTooLargeException(
                    "the payload is "
                            + length
                            + " bytes decoded, over audit.max-payload ("
                            + maxPayload
                            + " bytes)");
        }
    }
}
