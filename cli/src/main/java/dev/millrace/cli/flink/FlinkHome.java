package dev.millrace.cli.flink;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the Flink job jar and the Flink runtime it runs on locally are: system property {@code
 * millrace.flink.home} (set by the {@code millrace} launcher), else {@code flink-jobs/target} of
 * the source tree the command runs in. Holds {@code millrace-flink-jobs-*-job.jar} and {@code
 * flink/lib/}.
 */
public record FlinkHome(Path dir) {
    public static final String PROPERTY = "millrace.flink.home";

    /** The Java 17 flags Flink 2.2 needs. */
    public static final List<String> JVM_FLAGS =
            List.of(
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** The home the command finds, or empty. */
    public static Optional<FlinkHome> find() {
        String property = System.getProperty(PROPERTY);
        List<Path> candidates = new ArrayList<>();
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        } else {
            Path dir = Path.of("").toAbsolutePath();
            while (dir != null) {
                candidates.add(dir.resolve("flink-jobs").resolve("target"));
                dir = dir.getParent();
            }
        }
        return candidates.stream()
                .map(FlinkHome::new)
                .filter(home -> home.jarIfBuilt().isPresent() && Files.isDirectory(home.lib()))
                .findFirst();
    }

    /** The home, or an error saying how to get one. */
    public static FlinkHome require() {
        return find().orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no Flink job jar found: build it with `mvn -pl flink-jobs"
                                                + " -am package -DskipTests`, or set -D"
                                                + PROPERTY
                                                + "=DIR (holding millrace-flink-jobs-*-job.jar and"
                                                + " flink/lib)"));
    }

    public Path lib() {
        return dir.resolve("flink").resolve("lib");
    }

    /** The job jar: the jobs with everything they bring, Flink excepted. */
    public Path jar() {
        return jarIfBuilt().orElseThrow();
    }

    private Optional<Path> jarIfBuilt() {
        return file("millrace-flink-jobs-*-job.jar");
    }

    /** The module's own classes without dependencies: the session cluster's main. */
    public Path thinJar() {
        return file("millrace-flink-jobs-*.jar")
                .orElseThrow(() -> new IllegalStateException("no thin jar in " + dir));
    }

    private Optional<Path> file(String glob) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        boolean jobJar = glob.endsWith("-job.jar");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, glob)) {
            for (Path jar : jars) {
                if (jobJar == jar.getFileName().toString().endsWith("-job.jar")) {
                    return Optional.of(jar);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The command that runs the job jar's main with {@code args} on the local Flink runtime. */
    public List<String> jobCommand(String maxHeap, List<String> args) {
        return command(maxHeap, jar(), "dev.millrace.flink.FlinkMain", args);
    }

    /** The command that runs a session cluster, without any job on its classpath. */
    public List<String> sessionCommand(String maxHeap, List<String> args) {
        return command(maxHeap, thinJar(), "dev.millrace.flink.FlinkSession", args);
    }

    private List<String> command(String maxHeap, Path jar, String main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-Xmx" + maxHeap);
        // No log4j2 file: errors to the process output.
        command.add("-Dorg.apache.logging.log4j.level=ERROR");
        command.add("-cp");
        command.add(lib().toAbsolutePath() + "/*" + File.pathSeparator + jar.toAbsolutePath());
        command.add(main);
        command.addAll(args);
        return command;
    }
}
