package dev.millrace.connect.s3.internal;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.time.DateTimes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An object key template such as {@code ${topic}/${partition}/${offset}}, parsed once and rendered
 * for each record (or, in batch mode, for the first record of each batch).
 *
 * <p>Tokens: {@code ${topic}}, {@code ${partition}}, {@code ${offset}} and {@code ${start-offset}}
 * (zero-padded to 20 digits so keys sort by offset), {@code ${key}}, {@code ${json:<pointer>}},
 * {@code ${json-time:<pointer>:<pattern>}} and {@code ${timestamp:<pattern>}}. Times are rendered
 * in UTC. A {@code $} not followed by <code>{</code> is literal.
 */
public final class KeyTemplate {
    /** S3 refuses longer keys. */
    static final int MAX_KEY_BYTES = 1024;

    private static final Set<String> NAMES =
            Set.of(
                    "topic",
                    "partition",
                    "offset",
                    "start-offset",
                    "key",
                    "json",
                    "json-time",
                    "timestamp");

    private final String text;
    private final List<Part> parts;

    private KeyTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * @throws IllegalArgumentException with a one-line reason when the template is malformed
     */
    public static KeyTemplate parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("${", i)) {
                int end = template.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("has an unclosed ${ at position " + i);
                }
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(token(template.substring(i + 2, end)));
                i = end + 1;
            } else {
                literal.append(template.charAt(i));
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        if (parts.stream().allMatch(Literal.class::isInstance)) {
            throw new IllegalArgumentException(
                    "has no token, so every record would overwrite the same object");
        }
        return new KeyTemplate(template, parts);
    }

    private static Part token(String body) {
        int colon = body.indexOf(':');
        String name = colon < 0 ? body : body.substring(0, colon);
        String arg = colon < 0 ? null : body.substring(colon + 1);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "has an unknown token ${" + body + "}; known are " + knownTokens());
        }
        switch (name) {
            case "json" -> {
                return new JsonText(pointer(arg, body));
            }
            case "json-time" -> {
                int split = arg == null ? -1 : arg.indexOf(':');
                if (split < 0) {
                    throw new IllegalArgumentException(
                            "token ${"
                                    + body
                                    + "} needs a pointer and a pattern, like"
                                    + " ${json-time:/dateTime:yyyy/MM/dd}");
                }
                return new JsonTime(
                        pointer(arg.substring(0, split), body),
                        pattern(arg.substring(split + 1), body));
            }
            case "timestamp" -> {
                if (arg == null) {
                    throw new IllegalArgumentException(
                            "token ${timestamp} needs a pattern, like ${timestamp:yyyy/MM/dd}");
                }
                return new RecordTime(pattern(arg, body));
            }
            default -> {
                if (arg != null) {
                    throw new IllegalArgumentException(
                            "token ${" + name + "} takes no argument, got ${" + body + "}");
                }
                return new Field(name);
            }
        }
    }

    private static JsonPointer pointer(String text, String body) {
        if (text == null || text.isEmpty() || !text.startsWith("/")) {
            throw new IllegalArgumentException(
                    "token ${" + body + "} needs a JSON pointer, like /messageID");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "token ${" + body + "} has an invalid JSON pointer " + text);
        }
    }

    private static DateTimeFormatter pattern(String text, String body) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("token ${" + body + "} has an empty pattern");
        }
        try {
            return DateTimeFormatter.ofPattern(text).withZone(ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "token ${" + body + "} has an invalid date-time pattern: " + e.getMessage());
        }
    }

    private static String knownTokens() {
        return "${topic}, ${partition}, ${offset}, ${start-offset}, ${key}, ${json:<pointer>},"
                + " ${json-time:<pointer>:<pattern>}, ${timestamp:<pattern>}";
    }

    /** Zero-padded to 20 digits, the width of the largest long, so keys sort by offset. */
    public static String padded(long offset) {
        return String.format("%020d", offset);
    }

    /** Whether the key changes with the offset, so that batches do not overwrite each other. */
    public boolean namesTheOffset() {
        return parts.stream()
                .anyMatch(
                        p ->
                                p instanceof Field f
                                        && (f.name.equals("offset")
                                                || f.name.equals("start-offset")));
    }

    /**
     * The key for this record; {@code ${offset}} and {@code ${start-offset}} are both the record's
     * offset, which in batch mode is the batch's first.
     */
    public String render(RecordView record) throws UnwritableRecordException {
        StringBuilder key = new StringBuilder();
        for (Part part : parts) {
            key.append(part.render(record));
        }
        int bytes = key.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new UnwritableRecordException(
                    "rendered key is " + bytes + " bytes, longer than S3's " + MAX_KEY_BYTES);
        }
        return key.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    private sealed interface Part permits Literal, Field, JsonText, JsonTime, RecordTime {
        String render(RecordView record) throws UnwritableRecordException;
    }

    private record Literal(String text) implements Part {
        @Override
        public String render(RecordView record) {
            return text;
        }
    }

    private record Field(String name) implements Part {
        @Override
        public String render(RecordView record) throws UnwritableRecordException {
            return switch (name) {
                case "topic" -> record.topic();
                case "partition" -> Integer.toString(record.partition());
                case "offset", "start-offset" -> padded(record.offset());
                case "key" -> {
                    byte[] key = record.keyBytes();
                    if (key == null || key.length == 0) {
                        throw new UnwritableRecordException("record has no key for ${key}");
                    }
                    yield new String(key, StandardCharsets.UTF_8);
                }
                default -> throw new IllegalStateException(name);
            };
        }
    }

    private record JsonText(JsonPointer pointer) implements Part {
        @Override
        public String render(RecordView record) throws UnwritableRecordException {
            String text = record.textAt(pointer);
            if (text.isEmpty()) {
                throw new UnwritableRecordException("text at " + pointer + " is empty");
            }
            return text;
        }
    }

    private record JsonTime(JsonPointer pointer, DateTimeFormatter format) implements Part {
        @Override
        public String render(RecordView record) throws UnwritableRecordException {
            String text = record.textAt(pointer);
            Instant instant =
                    DateTimes.instant(text)
                            .orElseThrow(
                                    () ->
                                            new UnwritableRecordException(
                                                    "text at "
                                                            + pointer
                                                            + " is not an RFC 3339 date-time (nor"
                                                            + " yyyy-MM-dd HH:mm:ss.ffffff in"
                                                            + " UTC): "
                                                            + text));
            return format.format(instant);
        }
    }

    private record RecordTime(DateTimeFormatter format) implements Part {
        @Override
        public String render(RecordView record) throws UnwritableRecordException {
            Long timestamp = record.timestamp();
            if (timestamp == null || timestamp < 0) {
                throw new UnwritableRecordException("record has no timestamp for ${timestamp}");
            }
            return format.format(Instant.ofEpochMilli(timestamp));
        }
    }
}
