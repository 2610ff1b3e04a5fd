package dev.millrace.flink;

import dev.millrace.audit.AuditSettings;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigException;
import dev.millrace.config.ConfigKeys;
import dev.millrace.config.FlinkSettings;
import dev.millrace.config.KafkaSettings;
import dev.millrace.telemetry.TelemetrySettings;
import dev.millrace.wis2.Wis2Settings;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A job's settings as text, key by key: what travels with the job graph to every task, which parses
 * them again with the same keys and checks as the rest of millrace.
 *
 * <p>On Managed Service for Apache Flink they come from the application's runtime property groups;
 * locally from a JSON file of the same {@code PropertyGroupId} / {@code PropertyMap} format. The
 * group names only organise them: every key is read from whichever group holds it.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Every key a job reads. */
    public static final ConfigKeys KEYS =
            ConfigKeys.union(
                    CommonSettings.KEYS,
                    KafkaSettings.KEYS,
                    TelemetrySettings.KEYS,
                    Wis2Settings.KEYS,
                    AuditSettings.KEYS,
                    FlinkSettings.KEYS);

    private final HashMap<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = new HashMap<>(values);
        config();
    }

    /**
     * The settings of the property groups.
     *
     * @throws ConfigException naming a key set to two values in two groups, an unknown key or a bad
     *     value
     */
    public static JobConfig fromPropertyGroups(Map<String, Properties> groups) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> groupOf = new HashMap<>();
        new TreeMap<>(groups)
                .forEach(
                        (group, properties) -> {
                            for (String key : properties.stringPropertyNames()) {
                                String value = properties.getProperty(key);
                                String previous = values.putIfAbsent(key, value);
                                if (previous != null && !previous.equals(value)) {
                                    throw new ConfigException(
                                            "key "
                                                    + key
                                                    + " is set in property groups "
                                                    + groupOf.get(key)
                                                    + " and "
                                                    + group
                                                    + " to different values");
                                }
                                groupOf.putIfAbsent(key, group);
                            }
                        });
        return new JobConfig(values);
    }

    public static JobConfig of(Map<String, String> values) {
        return new JobConfig(values);
    }

    /** This config with {@code key} set to {@code value}. */
    public JobConfig with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new JobConfig(copy);
    }

    /** The parsed, validated settings. */
    public Config config() {
        Config.Builder builder = Config.builder(KEYS);
        new TreeMap<>(values).forEach((key, value) -> builder.set(key, value, "job property"));
        return builder.build();
    }
}
