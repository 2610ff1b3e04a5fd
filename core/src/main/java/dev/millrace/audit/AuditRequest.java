package dev.millrace.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import dev.millrace.time.DateTimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;

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
     * @param maxPayload the largest payload accepted, decoded
     * @throws BadRequestException naming the first problem: not JSON, a missing or empty field, a
     *     bad date-time, a payload that is null or not base64
     * @throws PayloadTooLargeException when the decoded payload is over {@code maxPayload}
     */
    public static AuditRequest parse(byte[] body, long maxPayload) {
        JsonNode root;
        try {
            root = Json.input().readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("unreadable body: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new BadRequestException("the body must be a JSON object");
        }
        JsonNode meta = object.get("messageMetaData");
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
        if (body.length > MAX_METADATA_BYTES) {
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
        JsonNode payload = object.get("messagePayload");
        if (payload == null || payload.isNull()) {
            throw new BadRequestException("messagePayload is required and must not be null");
        }
        byte[] bytes;
        String contentType;
        if (payload.isTextual()) {
            String base64 = withoutLineBreaks(payload.asText());
            requireAtMost(maxPayload, decodedLength(base64));
            try {
                bytes = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(
                        "messagePayload is a string, so it must be base64: " + e.getMessage());
            }
            contentType = BINARY;
        } else {
            try {
                bytes = Json.mapper().writeValueAsBytes(payload);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            contentType = JSON;
        }
        requireAtMost(maxPayload, bytes.length);
        return new AuditRequest(metaData, bytes, contentType, dateTime);
    }

    /** Base64 as encoders wrap it, in lines ending in CRLF or LF, joined. */
    private static String withoutLineBreaks(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder joined = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') {
                joined.append(c);
            }
        }
        return joined.toString();
    }

    /** What base64 text decodes to, in bytes, before decoding it. */
    private static long decodedLength(String base64) {
        int padding = 0;
        for (int i = base64.length() - 1; i >= 0 && base64.charAt(i) == '='; i--) {
            padding++;
        }
        return (long) base64.length() / 4 * 3 - padding;
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
