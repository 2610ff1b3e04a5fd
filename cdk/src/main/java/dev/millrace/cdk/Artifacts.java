package dev.millrace.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * What the build makes and the templates deploy: the Connect plugin archive (an MSK Connect custom
 * plugin), the shaded Flink job jar (Managed Flink's code) and the production runtime, staged with
 * {@code cdk/docker/runtime/Dockerfile} as the container image's build context.
 *
 * @param imageContext a directory holding {@code Dockerfile} and {@code millrace/} (bin, lib)
 */
public record Artifacts(Path pluginZip, Path flinkJar, Path imageContext, Path mqttImageContext) {

    /**
     * Finds the artifacts under the repository root (the build's {@code target/} dirs) and stages
     * the runtime image's context under {@code cdk/target/image}.
     *
     * @throws IllegalStateException naming the missing file and the command that builds it
     */
    public static Artifacts locate(Path root, String version) {
        Path zip =
                require(
                        root.resolve(
                                "connectors/target/millrace-connectors-" + version + "-plugin.zip"),
                        "connectors");
        Path jar =
                require(
                        root.resolve(
                                "flink-jobs/target/millrace-flink-jobs-" + version + "-job.jar"),
                        "flink-jobs");
        Path distribution = require(root.resolve("cli/target/distribution/millrace"), "cli");
        Path context = root.resolve("cdk/target/image");
        stageImage(root.resolve("cdk/docker/runtime/Dockerfile"), distribution, context);
        return new Artifacts(zip, jar, context, root.resolve("cdk/docker/mqtt"));
    }

    private static Path require(Path path, String module) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(
                    path
                            + " is missing: build it first with `mvn -B package -DskipTests -pl "
                            + module
                            + " -am` (or `mvn -B verify` from the root)");
        }
        return path;
    }

    /**
     * The runtime image's context: the Dockerfile and a copy of the distribution (hard links where
     * the file system allows, so staging costs no space), refreshed on every synth.
     */
    static void stageImage(Path dockerfile, Path distribution, Path context) {
        try {
            if (Files.exists(context)) {
                try (Stream<Path> old = Files.walk(context)) {
                    old.sorted(java.util.Comparator.reverseOrder())
                            .forEach(
                                    p -> {
                                        try {
                                            Files.delete(p);
                                        } catch (IOException e) {
                                            throw new UncheckedIOException(e);
                                        }
                                    });
                }
            }
            Files.createDirectories(context);
            Files.copy(dockerfile, context.resolve("Dockerfile"));
            Path target = context.resolve("millrace");
            try (Stream<Path> files = Files.walk(distribution)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path copy = target.resolve(distribution.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else {
                        link(source, copy);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the image context in " + context, e);
        }
    }

    private static void link(Path source, Path copy) throws IOException {
        try {
            Files.createLink(copy, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
