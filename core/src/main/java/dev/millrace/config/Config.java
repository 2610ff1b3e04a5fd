package dev.millrace.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolved settings. Later sources win: code defaults, then the {@code --config} file, then {@code
 * MILLRACE_*} environment variables, then command-line flags. Every value given is parsed when the
 * config is built, so a bad value fails at start, and the message names the key and the place the
 * value came from.
 */
public final class Config {
    private static final String ENV_PREFIX = "MILLRACE_";

    private final ConfigKeys keys;
    private final Map<String, Object> values;
    private final Map<String, String> passthrough;
    private final Map<String, String> origins;

    private Config(
            ConfigKeys keys,
            Map<String, Object> values,
            Map<String, String> passthrough,
            Map<String, String> origins) {
        this.keys = keys;
        this.values = values;
        this.passthrough = passthrough;
        this.origins = origins;
    }

    public static Builder builder(ConfigKeys keys) {
        return new Builder(keys);
    }

    /** Defaults only: what a program gets when nothing is set. */
    public static Config defaults(ConfigKeys keys) {
        return builder(keys).build();
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (keys.key(key.name()).isEmpty()) {
            throw new IllegalArgumentException("key not declared for this program: " + key.name());
        }
        return values.containsKey(key.name()) ? (T) values.get(key.name()) : key.defaultValue();
    }

    /**
     * This config with {@code key} set to {@code value}: how a program fixes a value for its own
     * parts, as the local stack does for the endpoints of the servers it runs.
     */
    public <T> Config with(ConfigKey<T> key, T value, String origin) {
        if (keys.key(key.name()).isEmpty()) {
            throw new IllegalArgumentException("key not declared for this program: " + key.name());
        }
        Map<String, Object> changed = new HashMap<>(values);
        changed.put(key.name(), value);
        Map<String, String> changedOrigins = new HashMap<>(origins);
        changedOrigins.put(key.name(), origin);
        return new Config(keys, changed, passthrough, Map.copyOf(changedOrigins));
    }

    /** Whether a value was given for the key, rather than its default used. */
    public boolean isSet(ConfigKey<?> key) {
        return values.containsKey(key.name());
    }

    /** The pass-through keys under {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        passthrough.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k.substring(prefix.length()), v);
                    }
                });
        return out;
    }

    /** Where the key's value came from: default, file, environment or flag. */
    public String origin(ConfigKey<?> key) {
        return origins.getOrDefault(key.name(), "default");
    }

    public ConfigKeys keys() {
        return keys;
    }

    /** Builds a {@link Config} from its sources, in increasing precedence. */
    public static final class Builder {
        private final ConfigKeys keys;
        private final Map<String, String> raw = new LinkedHashMap<>();
        private final Map<String, String> origins = new HashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder(ConfigKeys keys) {
            this.keys = keys;
        }

        /** Reads a Kafka-style {@code .properties} file. */
        public Builder file(Path file) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (NoSuchFileException e) {
                throw new ConfigException("config file not found: " + file);
            } catch (IOException e) {
                throw new ConfigException(
                        "cannot read config file " + file + ": " + e.getMessage());
            }
            new TreeSet<>(props.stringPropertyNames())
                    .forEach(name -> put(name, props.getProperty(name), "file " + file));
            return this;
        }

        /**
         * Takes every {@code MILLRACE_*} variable. One that matches no key is an error, so a
         * misspelt variable is not silently ignored.
         */
        public Builder environment(Map<String, String> env) {
            new TreeMap<>(env)
                    .forEach(
                            (variable, value) -> {
                                if (!variable.startsWith(ENV_PREFIX)) {
                                    return;
                                }
                                keys.keyForEnv(variable)
                                        .ifPresentOrElse(
                                                key -> put(key, value, "environment " + variable),
                                                () ->
                                                        problems.add(
                                                                "unknown environment variable "
                                                                        + variable
                                                                        + ": it sets no key"));
                            });
            return this;
        }

        /** Values given on the command line, by key name. */
        public Builder flags(Map<String, String> flags) {
            flags.forEach((k, v) -> put(k, v, "flag " + k));
            return this;
        }

        public Builder set(String key, String value, String origin) {
            put(key, value, origin);
            return this;
        }

        private void put(String name, String value, String origin) {
            raw.put(name, value);
            origins.put(name, origin);
        }

        /**
         * Parses every given value.
         *
         * @throws ConfigException naming each unknown key and each bad value
         */
        public Config build() {
            Map<String, Object> values = new HashMap<>();
            Map<String, String> passthrough = new TreeMap<>();
            List<String> errors = new ArrayList<>(problems);
            raw.forEach(
                    (name, text) -> {
                        String origin = origins.get(name);
                        var key = keys.key(name);
                        if (key.isPresent()) {
                            try {
                                values.put(name, key.get().parse(text));
                            } catch (IllegalArgumentException e) {
                                String shown = key.get().secret() ? "****" : "'" + text + "'";
                                errors.add(
                                        "bad value "
                                                + shown
                                                + " for key "
                                                + name
                                                + " ("
                                                + origin
                                                + "): "
                                                + e.getMessage());
                            }
                        } else if (keys.prefixOf(name).isPresent()) {
                            passthrough.put(name, text);
                        } else {
                            errors.add("unknown key " + name + " (" + origin + ")");
                        }
                    });
            if (!errors.isEmpty()) {
                throw new ConfigException(String.join("; ", errors));
            }
            return new Config(keys, values, passthrough, Map.copyOf(origins));
        }
    }
}
