package dev.millrace.cli;

import dev.millrace.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code millrace} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 1 failed, 2 usage or config. */
    public static int run(String... args) {
        List<Class<?>> commands = new ArrayList<>(MillraceCommand.COMMANDS);
        for (CommandExtension extension : Settings.extensions()) {
            commands.addAll(extension.commands());
        }
        // picocli builds each command's model by reflection, a few hundred milliseconds for all of
        // them on a cold JVM: a line that names a command gets only that one; help, a typo or no
        // command at all get every one.
        List<Class<?>> named =
                args.length == 0
                        ? List.of()
                        : commands.stream().filter(c -> isNamed(c, args[0])).toList();
        CommandLine cli = new CommandLine(new MillraceCommand());
        (named.isEmpty() ? commands : named).forEach(cli::addSubcommand);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof ConfigException) {
                        commandLine.getErr().println("millrace: " + e.getMessage());
                        return 2;
                    }
                    if (e instanceof CommandFailedException) {
                        commandLine.getErr().println("millrace: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        return cli.execute(args);
    }

    private static boolean isNamed(Class<?> command, String name) {
        Command annotation = command.getAnnotation(Command.class);
        return annotation != null
                && (annotation.name().equals(name)
                        || Arrays.asList(annotation.aliases()).contains(name));
    }
}
