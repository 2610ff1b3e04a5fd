package dev.millrace.cli;

import dev.millrace.config.ConfigKeys;
import dev.millrace.pipeline.Pipelines;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Every key this command knows: what the unknown-key check compares to. */
public final class Settings {
    private static final List<CommandExtension> EXTENSIONS = load();

    /** The pipelines' keys and those of every extension present. */
    public static final ConfigKeys ALL = all();

    private Settings() {}

    static List<CommandExtension> extensions() {
        return EXTENSIONS;
    }

    private static List<CommandExtension> load() {
        List<CommandExtension> found = new ArrayList<>();
        ServiceLoader.load(CommandExtension.class).forEach(found::add);
        return List.copyOf(found);
    }

    private static ConfigKeys all() {
        List<ConfigKeys> parts = new ArrayList<>();
        parts.add(Pipelines.KEYS);
        EXTENSIONS.forEach(e -> parts.add(e.keys()));
        return ConfigKeys.union(parts.toArray(ConfigKeys[]::new));
    }
}
