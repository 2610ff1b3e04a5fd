package dev.millrace.connect.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Reads one value out of a JSON payload, as the text a key or a topic is made of. */
public final class JsonPointers {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonPointers() {}

    /**
     * The value at {@code pointer}: a string's text, a number's or boolean's canonical text.
     *
     * @throws UnusablePayloadException if the payload is not JSON, or has no such value, or the
     *     value is null, an object or an array
     */
    public static String textAt(byte[] json, JsonPointer pointer) throws UnusablePayloadException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UnusablePayloadException(
                    "payload is not JSON: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UnusablePayloadException("payload is not JSON: " + oneLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new UnusablePayloadException("payload is empty, not JSON");
        }
        JsonNode value = root.at(pointer);
        if (value.isMissingNode() || value.isNull()) {
            throw new UnusablePayloadException("payload has no value at " + pointer);
        }
        if (!value.isValueNode()) {
            throw new UnusablePayloadException(
                    "value at "
                            + pointer
                            + " is "
                            + value.getNodeType().name().toLowerCase()
                            + ", not a string, number or boolean");
        }
        return value.asText();
    }

    /** Compiles a pointer that a validator has accepted. */
    public static JsonPointer compile(String pointer) {
        return JsonPointer.compile(pointer);
    }

    /**
     * Accepts null (unset) or a pointer into the document, like {@code /carIndex} or {@code
     * /messageID}.
     */
    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                String text = (String) value;
                if (text.isEmpty()) {
                    throw new ConfigException(
                            name,
                            value,
                            "must point into the payload, like /carIndex or /messageID");
                }
                try {
                    JsonPointer.compile(text);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            name,
                            value,
                            "is not a JSON pointer (RFC 6901), like /carIndex or /messageID");
                }
            }

            @Override
            public String toString() {
                return "a JSON pointer (RFC 6901), like /carIndex or /messageID";
            }
        };
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }
}
