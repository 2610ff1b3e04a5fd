package dev.millrace.cli.flink;

import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import java.util.ArrayList;
import java.util.List;

/** The settings a Flink job reads, as {@code --set key=value} arguments of its main. */
public final class FlinkArgs {
    private static final List<String> PREFIXES =
            List.of("kafka.", "telemetry.", "wis2.", "audit.", "flink.");

    private FlinkArgs() {}

    /** Every job key set in {@code config} (defaults are the job's own). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static List<String> of(Config config) {
        List<String> args = new ArrayList<>();
        for (ConfigKey key : config.keys().keys()) {
            boolean jobKey = PREFIXES.stream().anyMatch(p -> key.name().startsWith(p));
            if (jobKey && config.isSet(key) && !key.secret()) {
                args.add("--set");
                args.add(key.name() + "=" + key.format(config.get(key)));
            }
        }
        return args;
    }
}
