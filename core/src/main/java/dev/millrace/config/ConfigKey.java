package dev.millrace.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One documented, typed setting: its dotted name, type, default and the rule its value must follow.
 * Components declare their keys as constants and read them from a resolved {@link Config}; the same
 * declarations produce the README's config table and the unknown-key check.
 *
 * @param <T> the parsed value type
 */
public final class ConfigKey<T> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");
    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE =
            Pattern.compile("(\\d+)\\s*(b|kib|kb|k|mib|mb|m|gib|gb|g)?", Pattern.CASE_INSENSITIVE);

    private final String name;
    private final String type;
    private final T defaultValue;
    private final String doc;
    private final boolean secret;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ConfigKey(
            String name,
            String type,
            T defaultValue,
            String doc,
            boolean secret,
            Function<String, T> parser,
            Function<T, String> formatter) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a dotted kebab-case key: " + name);
        }
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.secret = secret;
        this.parser = parser;
        this.formatter = formatter;
    }

    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "string", defaultValue, doc, false, v -> v, v -> v);
    }

    /** A string that is never printed: logs, status output and errors show it masked. */
    public static ConfigKey<String> secret(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "password", defaultValue, doc, true, v -> v, v -> v);
    }

    /**
     * A value of a domain type, such as a line on a map. The parser throws {@link
     * IllegalArgumentException} with the reason a text is not a valid value.
     */
    public static <T> ConfigKey<T> of(
            String name,
            String type,
            T defaultValue,
            String doc,
            Function<String, T> parser,
            Function<T, String> formatter) {
        return new ConfigKey<>(name, type, defaultValue, doc, false, parser, formatter);
    }

    public static ConfigKey<Integer> integer(
            String name, int defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(
                name,
                "int",
                defaultValue,
                doc,
                false,
                v -> {
                    int parsed;
                    try {
                        parsed = Integer.parseInt(v.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not an integer");
                    }
                    if (parsed < min || parsed > max) {
                        throw new IllegalArgumentException(
                                "must be between " + min + " and " + max);
                    }
                    return parsed;
                },
                String::valueOf);
    }

    public static ConfigKey<Integer> port(String name, int defaultValue, String doc) {
        return integer(name, defaultValue, 1, 65535, doc);
    }

    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "boolean",
                defaultValue,
                doc,
                false,
                v -> {
                    String s = v.trim().toLowerCase(Locale.ROOT);
                    if (s.equals("true")) {
                        return true;
                    }
                    if (s.equals("false")) {
                        return false;
                    }
                    throw new IllegalArgumentException("must be true or false");
                },
                String::valueOf);
    }

    /** A duration written {@code 500ms}, {@code 5s}, {@code 10m}, {@code 24h} or {@code 7d}. */
    public static ConfigKey<Duration> duration(
            String name, Duration defaultValue, Duration min, String doc) {
        return new ConfigKey<>(
                name,
                "duration",
                defaultValue,
                doc,
                false,
                v -> {
                    Duration d = parseDuration(v);
                    if (d.compareTo(min) < 0) {
                        throw new IllegalArgumentException(
                                "must be at least " + formatDuration(min));
                    }
                    return d;
                },
                ConfigKey::formatDuration);
    }

    /** A byte count written {@code 6MiB}, {@code 512KiB} or a plain number of bytes. */
    public static ConfigKey<Long> bytes(String name, long defaultValue, long min, String doc) {
        return bytes(name, defaultValue, min, Long.MAX_VALUE, doc);
    }

    /** A byte count between {@code min} and {@code max}, written as {@link #bytes} reads it. */
    public static ConfigKey<Long> bytes(
            String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(
                name,
                "size",
                defaultValue,
                doc,
                false,
                v -> {
                    long b = parseBytes(v);
                    if (b < min) {
                        throw new IllegalArgumentException("must be at least " + min + " bytes");
                    }
                    if (b > max) {
                        throw new IllegalArgumentException("must be at most " + formatBytes(max));
                    }
                    return b;
                },
                ConfigKey::formatBytes);
    }

    public static ConfigKey<Path> path(String name, Path defaultValue, String doc) {
        return new ConfigKey<>(
                name, "path", defaultValue, doc, false, v -> Path.of(v.trim()), Path::toString);
    }

    /** A comma-separated list; blanks around items are dropped. */
    public static ConfigKey<List<String>> list(String name, List<String> defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "list",
                List.copyOf(defaultValue),
                doc,
                false,
                v ->
                        Arrays.stream(v.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList(),
                v -> String.join(",", v));
    }

    /** One of an enum's constants, written in lower case with {@code -} for {@code _}. */
    public static <E extends Enum<E>> ConfigKey<E> choice(
            String name, Class<E> type, E defaultValue, String doc) {
        String allowed =
                Arrays.stream(type.getEnumConstants())
                        .map(ConfigKey::enumText)
                        .collect(Collectors.joining(", "));
        return new ConfigKey<>(
                name,
                "one of " + allowed,
                defaultValue,
                doc,
                false,
                v ->
                        Arrays.stream(type.getEnumConstants())
                                .filter(c -> enumText(c).equals(v.trim().toLowerCase(Locale.ROOT)))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "must be one of " + allowed)),
                ConfigKey::enumText);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public boolean secret() {
        return secret;
    }

    /** The environment variable that sets this key: {@code MILLRACE_} + name, upper-cased. */
    public String envName() {
        return envName(name);
    }

    public static String envName(String key) {
        return "MILLRACE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default as it would be written in a file, or empty when there is none. */
    public String defaultText() {
        return defaultValue == null ? "" : format(defaultValue);
    }

    public String format(T value) {
        return formatter.apply(value);
    }

    T parse(String raw) {
        return parser.apply(raw);
    }

    @Override
    public String toString() {
        return name;
    }

    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a duration (write e.g. 500ms, 5s, 10m, 24h or 7d)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0 && ms > 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (write e.g. 512KiB, 6MiB or 1048576)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor =
                switch (unit) {
                    case "b" -> 1L;
                    case "kib", "kb", "k" -> 1024L;
                    case "mib", "mb", "m" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
        return Math.multiplyExact(amount, factor);
    }

    static String formatBytes(long bytes) {
        if (bytes > 0 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MiB";
        }
        if (bytes > 0 && bytes % 1024L == 0) {
            return bytes / 1024L + "KiB";
        }
        return String.valueOf(bytes);
    }

    private static String enumText(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
