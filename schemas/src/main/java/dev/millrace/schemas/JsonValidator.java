package dev.millrace.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * A compiled schema that reports violations as plain strings, so callers (dead-letter headers,
 * problem+json details, logs) need no validator library types. Thread-safe.
 */
public final class JsonValidator {

    private final String name;
    private final JsonSchema schema;

    JsonValidator(String name, JsonSchema schema) {
        this.name = name;
        this.schema = schema;
    }

    /** The schema name, e.g. {@code audit/message-request}. */
    public String name() {
        return name;
    }

    /**
     * Validates a JSON value.
     *
     * @return one message per violation, each starting with the JSON path it concerns (e.g. {@code
     *     $.location.lat: must have a maximum value of 90}); empty when the value is valid
     */
    public List<String> validate(JsonNode value) {
        return schema.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Whether the value has no violation. */
    public boolean isValid(JsonNode value) {
        return schema.validate(value, OutputFormat.BOOLEAN);
    }

    @Override
    public String toString() {
        return "JsonValidator[" + name + "]";
    }
}
