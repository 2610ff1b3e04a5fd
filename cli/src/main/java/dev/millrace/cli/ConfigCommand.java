package dev.millrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code millrace config}: every key, as the README's table. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Print every configuration key as a Markdown table.")
final class ConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(Settings.ALL.markdownTable());
        return 0;
    }
}
