package dev.millrace.cli;

import dev.millrace.config.ConfigException;
import picocli.CommandLine;

/** Entry point of the {@code millrace} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 1 failed, 2 usage or config. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new MillraceCommand());
        for (CommandExtension extension : Settings.extensions()) {
            extension.commands().forEach(cli::addSubcommand);
        }
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
}
