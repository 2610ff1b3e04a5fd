package dev.millrace.connect.s3.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A claim check in the record value: an object {@code {"bucket": ..., "key": ...}} naming where a
 * payload too large for Kafka was staged.
 */
public record ClaimCheck(JsonPointer pointer) {

    /**
     * The staged object, or empty when the value has nothing at the pointer (the content is then in
     * the record).
     */
    public Optional<S3Location> find(RecordView record) throws UnwritableRecordException {
        JsonNode node = record.nodeAt(pointer);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new UnwritableRecordException(
                    "claim check at "
                            + pointer
                            + " is "
                            + RecordView.typeOf(node)
                            + ", not an object");
        }
        return Optional.of(new S3Location(field(node, "bucket"), field(node, "key")));
    }

    private String field(JsonNode node, String name) throws UnwritableRecordException {
        JsonNode field = node.get(name);
        if (field == null || !field.isTextual() || field.textValue().isEmpty()) {
            throw new UnwritableRecordException(
                    "claim check at " + pointer + " has no string \"" + name + "\"");
        }
        return field.textValue();
    }
}
