package dev.millrace.local;

import java.util.ArrayList;
import java.util.List;

/** A process of its own running a class of this JVM's classpath, as local parts start them. */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The command line that runs {@code main} with this JVM's {@code java} and classpath and the
     * given JVM options; append the program's arguments.
     */
    public static List<String> command(Class<?> main, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        return command;
    }
}
