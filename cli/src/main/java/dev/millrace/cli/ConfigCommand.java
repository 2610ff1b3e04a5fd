package dev.millrace.cli;

import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.util.ArrayList;
import java.util.List;
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
        System.out.print(table(Settings.ALL));
        return 0;
    }

    static String table(ConfigKeys keys) {
        List<String> lines = new ArrayList<>();
        lines.add("| key | environment variable | type | default | description |");
        lines.add("| --- | --- | --- | --- | --- |");
        for (ConfigKey<?> key : keys.keys()) {
            lines.add(
                    "| `%s` | `%s` | %s | %s | %s |"
                            .formatted(
                                    key.name(),
                                    key.envName(),
                                    key.type(),
                                    key.defaultText().isEmpty()
                                            ? ""
                                            : "`" + key.defaultText() + "`",
                                    key.doc()));
        }
        for (ConfigKeys.Prefix prefix : keys.prefixes()) {
            lines.add(
                    "| `%s*` | `%s*` | any | | %s |"
                            .formatted(
                                    prefix.prefix(),
                                    ConfigKey.envName(
                                                    prefix.prefix()
                                                            .substring(
                                                                    0,
                                                                    prefix.prefix().length() - 1))
                                            + "_",
                                    prefix.doc()));
        }
        return String.join("\n", lines) + "\n";
    }
}
