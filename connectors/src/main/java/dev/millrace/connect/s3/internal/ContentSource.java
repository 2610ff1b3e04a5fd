package dev.millrace.connect.s3.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Where an object's bytes come from: the record value as it is, or a node inside its JSON. */
public sealed interface ContentSource {

    byte[] extract(RecordView record) throws UnwritableRecordException;

    static ContentSource value() {
        return new WholeValue();
    }

    static ContentSource pointer(JsonPointer pointer, Encoding encoding) {
        return new AtPointer(pointer, encoding);
    }

    /** How the node at the pointer becomes bytes. */
    enum Encoding {
        /** A string holding base64, decoded. */
        BASE64,
        /** A string, as UTF-8. */
        TEXT,
        /** The node's JSON text, whatever its type. */
        JSON;

        public static Encoding of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The value's bytes, unchanged. */
    record WholeValue() implements ContentSource {
        @Override
        public byte[] extract(RecordView record) throws UnwritableRecordException {
            return record.valueBytes();
        }
    }

    record AtPointer(JsonPointer pointer, Encoding encoding) implements ContentSource {
        @Override
        public byte[] extract(RecordView record) throws UnwritableRecordException {
            JsonNode node = record.nodeAt(pointer);
            if (node == null) {
                throw new UnwritableRecordException("value has no content at " + pointer);
            }
            return switch (encoding) {
                case BASE64 -> {
                    String text = string(node);
                    try {
                        yield decodeBase64(text);
                    } catch (IllegalArgumentException e) {
                        throw new UnwritableRecordException(
                                "content at " + pointer + " is not base64");
                    }
                }
                case TEXT -> string(node).getBytes(StandardCharsets.UTF_8);
                case JSON -> {
                    try {
                        yield Json.mapper().writeValueAsBytes(node);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a parsed node is writable", e);
                    }
                }
            };
        }

        private String string(JsonNode node) throws UnwritableRecordException {
            if (!node.isTextual()) {
                throw new UnwritableRecordException(
                        "content at "
                                + pointer
                                + " is "
                                + RecordView.typeOf(node)
                                + ", not a string");
            }
            return node.textValue();
        }

        /**
         * The basic decoder (fast, strict) takes what the ingest writes; text with line breaks,
         * which some encoders insert, goes to the MIME decoder, which would silently skip any other
         * character outside the alphabet, so those are refused first.
         */
        private static byte[] decodeBase64(String text) {
            if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
                return Base64.getDecoder().decode(text);
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean alphabet =
                        (c >= 'A' && c <= 'Z')
                                || (c >= 'a' && c <= 'z')
                                || (c >= '0' && c <= '9')
                                || c == '+'
                                || c == '/'
                                || c == '='
                                || c == '\r'
                                || c == '\n';
                if (!alphabet) {
                    throw new IllegalArgumentException("not base64");
                }
            }
            return Base64.getMimeDecoder().decode(text);
        }
    }
}
