package dev.millrace.cli;

import dev.millrace.cli.http.Health;
import dev.millrace.cli.telemetry.TelemetryBench;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.local.LocalStack;
import dev.millrace.local.LocalStackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace bench <pipeline>}: starts a fresh local stack of its own (temporary data dir,
 * free ports), measures the pipeline on it and prints the figures, the last line one JSON object.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a pipeline on a fresh local stack of its own (temporary data, free ports).",
            "telemetry: the topology's throughput against a pass-through application with the same"
                    + " guarantees, and end-to-end latency MQTT in to MQTT out at a steady rate.",
            "The last line printed is one JSON object with the figures."
        })
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline: telemetry.")
    String pipeline;

    @Option(
            names = "--records",
            defaultValue = "500000",
            description = "Fixes loaded for the throughput runs (default ${DEFAULT-VALUE}).")
    long records;

    @Option(
            names = "--rate",
            defaultValue = "300",
            description =
                    "Fixes per second published for the latency run (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--latency-seconds",
            defaultValue = "20",
            description = "How long the latency run publishes (default ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Override
    public Integer call() throws Exception {
        if (!pipeline.equals("telemetry")) {
            throw new CommandFailedException(
                    "no benchmark for pipeline '" + pipeline + "'; benchmarks: telemetry");
        }
        if (records < 1_000 || rate < 6 || latencySeconds < 5) {
            throw new CommandFailedException(
                    "--records must be at least 1000, --rate at least 6, --latency-seconds at"
                            + " least 5");
        }
        Path work = Files.createTempDirectory("millrace-bench-");
        try {
            LocalStackSettings settings = freshStack(work);
            System.err.println("starting a local stack in " + work);
            try (LocalStack stack = LocalStack.start(settings)) {
                Map<String, Health.Status> health = stack.awaitHealthy(Duration.ofMinutes(2));
                if (!health.values().stream().allMatch(Health.Status::up)) {
                    throw new CommandFailedException("the bench stack is not healthy: " + health);
                }
                TelemetryBench.Result result =
                        new TelemetryBench(stack, work, System.err)
                                .run(records, rate, latencySeconds);
                System.out.printf(
                        "telemetry topology   %,10.0f records/s  (exactly-once v2, 1 thread)%n",
                        result.topologyPerSecond());
                System.out.printf(
                        "pass-through         %,10.0f records/s  (same guarantees, same data)%n",
                        result.passThroughPerSecond());
                System.out.printf("ratio                %10.3f%n", result.ratio());
                System.out.printf(
                        "end to end at %d/s   p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d SPEEDs"
                                + " (MQTT in -> source connector -> topology -> sink connector ->"
                                + " MQTT out)%n",
                        result.latencyRate(),
                        result.p50Ms(),
                        result.p99Ms(),
                        result.maxMs(),
                        result.latencySamples());
                System.out.println(result.json());
            }
        } finally {
            delete(work);
        }
        return 0;
    }

    private static LocalStackSettings freshStack(Path dataDir) {
        Map<String, String> flags = LocalStackSettings.freePorts();
        flags.put(CommonSettings.DATA_DIR.name(), dataDir.toString());
        Config config =
                Config.builder(Settings.ALL).environment(System.getenv()).flags(flags).build();
        return LocalStackSettings.from(config);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
