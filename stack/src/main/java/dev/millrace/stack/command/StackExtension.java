package dev.millrace.stack.command;

import dev.millrace.cli.CommandExtension;
import dev.millrace.config.ConfigKeys;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.stack.bench.BenchCommand;
import dev.millrace.stack.chaos.ChaosCommand;
import dev.millrace.stack.demo.SimulateCommand;
import java.util.List;

/** Adds the commands that run the whole platform on this machine to {@code millrace}. */
public final class StackExtension implements CommandExtension {
    @Override
    public List<Class<?>> commands() {
        return List.of(
                UpCommand.class, SimulateCommand.class, BenchCommand.class, ChaosCommand.class);
    }

    @Override
    public ConfigKeys keys() {
        return LocalStackSettings.KEYS;
    }
}
