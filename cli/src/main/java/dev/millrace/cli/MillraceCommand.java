package dev.millrace.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level command: lists the others. */
@Command(
        name = "millrace",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Stream processing on Kafka: the local stack and every component.")
public final class MillraceCommand implements Runnable {
    /** The commands every distribution has; {@link CommandExtension}s add more. */
    static final List<Class<?>> COMMANDS =
            List.of(
                    StatusCommand.class,
                    TopicsCommand.class,
                    TailCommand.class,
                    DlqCommand.class,
                    RunCommand.class,
                    ResetCommand.class,
                    FlinkCommand.class,
                    ConfigCommand.class);

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }
}
