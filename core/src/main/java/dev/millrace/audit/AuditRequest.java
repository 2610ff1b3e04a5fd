package dev.millrace.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A {@code POST /v1/messages} body: the sender's metadata and the payload, as the bytes to archive.
 * A string payload is base64 and is archived decoded; any other JSON value is archived as its JSON
 * text.
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
    private static final String[] REQUIRED = {
        "messageType", "sourceSystemID", "sourceTransactionID", "dateTime"
    };

    /**
     * @throws BadRequestException naming the first problem: not JSON, a missing or empty field, a
     *     bad date-time, a payload that is null or not base64
     */
    public static AuditRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
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
        var unknown = new java.util.ArrayList<String>();
        metaData.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(java.util.List.of(REQUIRED));
        if (!unknown.isEmpty()) {
            throw new BadRequestException("messageMetaData has unknown fields " + unknown);
        }
        OffsetDateTime dateTime;
        try {
            dateTime = OffsetDateTime.parse(metaData.get("dateTime").asText());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(
                    "messageMetaData.dateTime must be an RFC 3339 date-time, got '"
                            + metaData.get("dateTime").asText()
                            + "'");
        }
        JsonNode payload = object.get("messagePayload");
        if (payload == null || payload.isNull()) {
            throw new BadRequestException("messagePayload is required and must not be null");
        }
        if (payload.isTextual()) {
            try {
                return new AuditRequest(
                        metaData, Base64.getDecoder().decode(payload.asText()), BINARY, dateTime);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(
                        "messagePayload is a string, so it must be base64: " + e.getMessage());
            }
        }
        try {
            return new AuditRequest(
                    metaData,
                    Json.mapper().writeValueAsString(payload).getBytes(StandardCharsets.UTF_8),
                    JSON,
                    dateTime);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
