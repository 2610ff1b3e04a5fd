package dev.millrace.stack.chaos;

import dev.millrace.cli.Main;
import dev.millrace.local.ChildJvm;
import dev.millrace.local.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline's Streams application in a process of its own ({@code millrace run <pipeline>}), as it
 * runs in production: killed with SIGKILL and started again on the same state directory, a static
 * member of its group so that the new process takes its partitions back at once.
 */
final class TopologyProcess implements EngineProcess {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String pipeline;
    private final Path dir;
    private final Map<String, String> settings;
    private final int httpPort = Ports.free();
    private Process process;

    /**
     * @param settings keys the process runs with (its Kafka among them)
     */
    TopologyProcess(String pipeline, Path dir, Map<String, String> settings) {
        this.pipeline = pipeline;
        this.dir = dir;
        this.settings = settings;
    }

    @Override
    public String killed() {
        return "streams process SIGKILL";
    }

    /** Starts the process and waits until its {@code /health} says UP. */
    @Override
    public void start(Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = ChildJvm.command(Main.class, "-Xmx768m");
        command.add("run");
        command.add(pipeline);
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        command.addAll(List.of("--set", "data-dir=" + dir));
        command.addAll(List.of("--set", "http.port=" + httpPort));
        command.addAll(List.of("--set", "kafka.instance-id=chaos-" + pipeline));
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("output.log").toFile()))
                        .start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "millrace run " + pipeline + " ended; see " + dir.resolve("output.log"));
            }
            if (healthy()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "millrace run " + pipeline + " not healthy within " + timeout);
    }

    private boolean healthy() throws InterruptedException {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + httpPort
                                                                    + "/health"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
