package dev.millrace.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a program knows: declared keys plus prefixes whose keys pass through unchecked to an
 * underlying client (for example {@code kafka.client.linger.ms}). Anything else is unknown and
 * refused at start.
 */
public final class ConfigKeys {
    /** Keys under {@code prefix} are handed, prefix removed, to a client that checks them. */
    public record Prefix(String prefix, String doc) {
        public Prefix {
            if (!prefix.endsWith(".")) {
                throw new IllegalArgumentException("a prefix ends with '.': " + prefix);
            }
        }
    }

    private final Map<String, ConfigKey<?>> keys;
    private final List<Prefix> prefixes;

    private ConfigKeys(Map<String, ConfigKey<?>> keys, List<Prefix> prefixes) {
        this.keys = keys;
        this.prefixes = prefixes;
    }

    public static ConfigKeys of(Collection<? extends ConfigKey<?>> keys, Prefix... prefixes) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (byName.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("key declared twice: " + key.name());
            }
        }
        return new ConfigKeys(byName, List.of(prefixes));
    }

    /** All keys of several components; a key declared by two components is declared once. */
    public static ConfigKeys union(ConfigKeys... parts) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        List<Prefix> prefixes = new ArrayList<>();
        for (ConfigKeys part : parts) {
            part.keys.forEach(byName::putIfAbsent);
            part.prefixes.stream().filter(p -> !prefixes.contains(p)).forEach(prefixes::add);
        }
        return new ConfigKeys(byName, List.copyOf(prefixes));
    }

    public Collection<ConfigKey<?>> keys() {
        return keys.values();
    }

    public List<Prefix> prefixes() {
        return prefixes;
    }

    /** Every key and prefix as a Markdown table: what {@code millrace config} prints. */
    public String markdownTable() {
        StringBuilder table =
                new StringBuilder("| key | environment variable | type | default | description |\n")
                        .append("| --- | --- | --- | --- | --- |\n");
        for (ConfigKey<?> key : keys.values()) {
            String defaultText = key.defaultText().isEmpty() ? "" : "`" + key.defaultText() + "`";
            table.append(
                    "| `%s` | `%s` | %s | %s | %s |\n"
                            .formatted(
                                    key.name(), key.envName(), key.type(), defaultText, key.doc()));
        }
        for (Prefix prefix : prefixes) {
            table.append(
                    "| `%s*` | `%s*` | any | | %s |\n"
                            .formatted(prefix.prefix(), envPrefix(prefix), prefix.doc()));
        }
        return table.toString();
    }

    private static String envPrefix(Prefix prefix) {
        return ConfigKey.envName(prefix.prefix().substring(0, prefix.prefix().length() - 1)) + "_";
    }

    Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    Optional<Prefix> prefixOf(String name) {
        return prefixes.stream()
                .filter(p -> name.startsWith(p.prefix()) && name.length() > p.prefix().length())
                .findFirst();
    }

    /** The key an environment variable sets, if any. */
    Optional<String> keyForEnv(String variable) {
        for (ConfigKey<?> key : keys.values()) {
            if (key.envName().equals(variable)) {
                return Optional.of(key.name());
            }
        }
        for (Prefix prefix : prefixes) {
            String envPrefix = envPrefix(prefix);
            if (variable.startsWith(envPrefix) && variable.length() > envPrefix.length()) {
                String rest =
                        variable.substring(envPrefix.length()).toLowerCase(java.util.Locale.ROOT);
                return Optional.of(prefix.prefix() + rest.replace('_', '.'));
            }
        }
        return Optional.empty();
    }
}
