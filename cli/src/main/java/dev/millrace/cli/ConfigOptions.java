package dev.millrace.cli;

import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every command shares to reach its settings: {@code --config FILE}, {@code --data-dir
 * DIR} and {@code --set key=value}. Flags win over the environment, which wins over the file, which
 * wins over the defaults.
 */
public final class ConfigOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A .properties file of settings (see `millrace config`).")
    Path configFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where local state lives (key data-dir, default ./.millrace).")
    Path dataDir;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Set any key, e.g. --set local.kafka.port=19092. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Sets a key as if given with --set. */
    public void set(String key, String value) {
        overrides.put(key, value);
    }

    /** Resolves the settings from defaults, file, environment and these flags. */
    public Config load() {
        Config.Builder builder = Config.builder(Settings.ALL);
        if (configFile != null) {
            builder.file(configFile);
        }
        builder.environment(System.getenv());
        builder.flags(overrides);
        if (dataDir != null) {
            builder.set(CommonSettings.DATA_DIR.name(), dataDir.toString(), "flag --data-dir");
        }
        return builder.build();
    }
}
