package dev.millrace.stack.testing;

import dev.millrace.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a millrace command in this JVM, as its user would from the shell, keeping what it printed.
 */
public final class Commands {
    /** How a command ended and what it printed on standard output. */
    public record Run(int exit, String out) {}

    private Commands() {}

    /** One command at a time: standard output is the JVM's. */
    public static synchronized Run run(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setOut(saved);
        }
        return new Run(exit, printed.toString(StandardCharsets.UTF_8));
    }
}
