package dev.millrace.config;

import java.nio.file.Path;
import java.util.List;

/** Settings every component shares. */
public final class CommonSettings {
    public static final ConfigKey<Path> DATA_DIR =
            ConfigKey.path(
                    "data-dir",
                    Path.of(".millrace"),
                    "Where local state lives: the broker's log, S3 objects, MQTT sessions, Streams"
                            + " state (flag --data-dir).");

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(DATA_DIR));

    private CommonSettings() {}
}
