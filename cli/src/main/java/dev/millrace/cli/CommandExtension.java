package dev.millrace.cli;

import dev.millrace.config.ConfigKeys;
import java.util.List;

/**
 * More commands for {@code millrace}, found through the service loader. The production distribution
 * has none; the local stack module adds {@code up}, {@code bench} and {@code simulate} with the
 * keys of the servers it runs.
 */
public interface CommandExtension {

    /** picocli-annotated command classes, added as subcommands of {@code millrace}. */
    List<Class<?>> commands();

    /** The keys those commands read besides the pipelines' own. */
    ConfigKeys keys();
}
