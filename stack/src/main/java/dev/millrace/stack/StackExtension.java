package dev.millrace.stack;

import dev.millrace.cli.CommandExtension;
import dev.millrace.config.ConfigKeys;
import java.util.List;

/** Adds the commands that run the whole platform on this machine to {@code millrace}. */
public final class StackExtension implements CommandExtension {
    @Override
    public List<Class<?>> commands() {
        return List.of(UpCommand.class, SimulateCommand.class, BenchCommand.class);
    }

    @Override
    public ConfigKeys keys() {
        return LocalStackSettings.KEYS;
    }
}
