package dev.millrace.cli.flink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The job jar's main in a JVM of its own, on the local Flink runtime (the jobs bring Kafka clients
 * of another version than the rest of millrace, so they never share a JVM with it). Stopped, and
 * its children with it, when closed or when this JVM exits.
 */
public final class FlinkProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Thread stopOnExit;

    private FlinkProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "flink-process-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts the job jar's main with {@code args}, its output appended to {@code log}. */
    public static FlinkProcess start(FlinkHome home, String maxHeap, List<String> args, Path log)
            throws IOException {
        return start(home.jobCommand(maxHeap, args), log);
    }

    private static FlinkProcess start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        return new FlinkProcess(process, log);
    }

    /**
     * Starts a session cluster with {@code slots} slots and waits until its REST API answers.
     *
     * @param flinkConfig Flink configuration entries, key=value
     */
    public static FlinkProcess session(
            FlinkHome home,
            int restPort,
            int slots,
            List<String> flinkConfig,
            Path log,
            Duration timeout)
            throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>();
        args.add(String.valueOf(restPort));
        args.add(String.valueOf(slots));
        args.addAll(flinkConfig);
        FlinkProcess session = start(home.sessionCommand("1g", args), log);
        URI overview = URI.create(restUrl(restPort) + "/overview");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!session.process.isAlive()) {
                throw new IOException(
                        "the Flink session exited with "
                                + session.process.exitValue()
                                + "; see "
                                + log);
            }
            try {
                HttpResponse<Void> response =
                        http.send(
                                HttpRequest.newBuilder(overview)
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return session;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            if (System.nanoTime() > deadline) {
                session.close();
                throw new IOException(
                        "the Flink session did not answer within " + timeout + "; see " + log);
            }
            Thread.sleep(250);
        }
    }

    public static String restUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to end; its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Ends the process at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // The JVM is exiting: the hook runs anyway.
        }
    }
}
