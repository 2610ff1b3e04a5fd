package dev.millrace.local;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** A process of its own running a class of this JVM's classpath, as local parts start them. */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The command line that runs {@code main} with this JVM's {@code java} and classpath and the
     * given JVM options; append the program's arguments. A class-data archive this JVM maps (the
     * launcher's) is mapped by the child too: it has the same classpath, and starts as much faster.
     */
    public static List<String> command(Class<?> main, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-XX:SharedArchiveFile=") || option.startsWith("-Xlog:cds")) {
                command.add(option);
            }
        }
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        return command;
    }
}
