package dev.millrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * What the S3 sink reported for one record on {@code audit.archive-results}: the object it wrote,
 * or, when the record could not be archived, where it salvaged the record whole and why.
 *
 * @param reason why the record was salvaged; null when archived
 */
public record ArchiveOutcome(
        boolean archived, String bucket, String key, Instant timestamp, String reason) {

    /**
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static ArchiveOutcome parse(byte[] value) {
        JsonNode root;
        try {
            root = value == null ? null : Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("the archive result is not JSON: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode node)) {
            throw new IllegalArgumentException("the archive result is not a JSON object");
        }
        String status = text(node, "status");
        if (!status.equals("archived") && !status.equals("salvaged")) {
            throw new IllegalArgumentException("unknown archive status '" + status + "'");
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(text(node, "timestamp")).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "the archive result's timestamp is not a date-time: " + e.getMessage());
        }
        JsonNode reason = node.get("reason");
        return new ArchiveOutcome(
                status.equals("archived"),
                text(node, "bucket"),
                text(node, "key"),
                timestamp,
                reason == null || reason.isNull() ? null : reason.asText());
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("the archive result has no " + field);
        }
        return value.asText();
    }
}
