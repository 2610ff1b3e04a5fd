package dev.millrace.stack.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.cli.CommandFailedException;
import dev.millrace.config.ConfigKey;
import dev.millrace.json.Json;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace bench <pipeline>|all}: starts a fresh local stack of its own (temporary data dir,
 * free ports), measures the pipeline on it, or every pipeline and the stack's start-up, and prints
 * the figures, the last line one JSON object.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a pipeline on a fresh local stack of its own (temporary data, free ports).",
            "telemetry: the topology's throughput against a pass-through application with the same"
                    + " guarantees, and end-to-end latency MQTT in to MQTT out at a steady rate.",
            "wis2: unique notifications at a steady rate through the whole Global Cache (85 kB"
                    + " objects from a data server answering after 200 ms), then a flood of five"
                    + " copies per message from two brokers.",
            "audit: concurrent clients POST records of --size, then of 2 MiB, through the whole"
                    + " pipeline (receipt, S3 archive, metadata, final state).",
            "telemetry --engine flink: the same for the Flink job, beside the Streams topology"
                    + " on the same data, and their ratios.",
            "start-up: a stack started on a new data dir, stopped cleanly and started again on"
                    + " the same data; the three times. The launcher's class-data training run.",
            "all: every bench in turn on one stack: start-up on a new data dir, restart on the"
                    + " same data, RSS idle and loaded, telemetry latency cold then warm and its"
                    + " throughput ratio, wis2 at 2,000 and 24,000 a minute and a dedupe flood,"
                    + " audit rounds of 256 KiB (1 and 16 clients) and 2 MiB (16 clients); a table"
                    + " of figure | measured | goal | met. Missed goals do not fail it; a stack"
                    + " that is not healthy or missing outputs do. --quick: small runs, the whole"
                    + " in under 3 minutes.",
            "Progress goes to stderr; the last line printed is one JSON object with the figures."
        })
public final class BenchCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "PIPELINE",
            description = "The pipeline: telemetry, wis2 or audit; or start-up, or all.")
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

    @Option(
            names = "--per-minute",
            defaultValue = "10000",
            description = "wis2: unique notifications a minute (default ${DEFAULT-VALUE}).")
    int perMinute;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "wis2: how long the steady run publishes (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--flood",
            defaultValue = "2000",
            description = "wis2: messages flooded five times each (default ${DEFAULT-VALUE}).")
    int flood;

    @Option(
            names = "--clients",
            defaultValue = "16",
            description = "audit: concurrent HTTP clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--size",
            defaultValue = "256KiB",
            description =
                    "audit: payload size of the first round; the second is 2MiB (default"
                            + " ${DEFAULT-VALUE}).")
    String size;

    @Option(
            names = "--round-seconds",
            defaultValue = "20",
            description = "audit: how long each round POSTs (default ${DEFAULT-VALUE}).")
    int roundSeconds;

    @Option(
            names = "--engine",
            defaultValue = "streams",
            description =
                    "telemetry: streams (default), or flink to measure the Flink job beside the"
                            + " Streams topology, in one run on the same data.")
    String engine;

    @Option(
            names = "--quick",
            description =
                    "all: small runs (fewer fixes, shorter rounds) of the same figures, the whole"
                            + " in under 3 minutes; the other options are ignored but --set.")
    boolean quick;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "A setting of the bench's stack, e.g. --set wis2.fetch.concurrency=64.")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!List.of("telemetry", "wis2", "audit", "start-up", "all").contains(pipeline)) {
            throw new CommandFailedException(
                    "no benchmark for pipeline '"
                            + pipeline
                            + "'; benchmarks: telemetry, wis2, audit, start-up, all");
        }
        if (quick && !pipeline.equals("all")) {
            throw new CommandFailedException("--quick is for bench all");
        }
        if (pipeline.equals("all")) {
            return benchAll();
        }
        if (pipeline.equals("start-up")) {
            return benchStartUp();
        }
        long payloadBytes;
        try {
            payloadBytes = ConfigKey.parseBytes(size);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException("--size: " + e.getMessage());
        }
        if (clients < 1 || roundSeconds < 2 || payloadBytes < 1 || payloadBytes > 4L << 20) {
            throw new CommandFailedException(
                    "--clients must be at least 1, --round-seconds at least 2, --size between 1"
                            + " byte and 4MiB");
        }
        if (!List.of("streams", "flink").contains(engine)
                || (engine.equals("flink") && !pipeline.equals("telemetry"))) {
            throw new CommandFailedException(
                    "--engine is streams or flink, and flink only for the telemetry benchmark");
        }
        if (records < 1_000 || rate < 6 || latencySeconds < 5) {
            throw new CommandFailedException(
                    "--records must be at least 1000, --rate at least 6, --latency-seconds at"
                            + " least 5");
        }
        if (perMinute < 60 || seconds < 5 || flood < 1) {
            throw new CommandFailedException(
                    "--per-minute must be at least 60, --seconds at least 5, --flood at least 1");
        }
        try (BenchStack bench =
                BenchStack.prepare(overrides, pipeline.equals("wis2"), pipeline.equals("audit"))) {
            System.err.println("starting a local stack in " + bench.work());
            try (LocalStack stack = bench.start()) {
                if (pipeline.equals("wis2")) {
                    benchWis2(bench.settings(), bench.upstreamUrls());
                } else if (pipeline.equals("audit")) {
                    benchAudit(bench.settings(), bench.auditKey(), payloadBytes);
                } else {
                    benchTelemetry(stack, bench.work());
                }
            }
        }
        return 0;
    }

    /**
     * Every bench on one stack; the table, then the JSON line. Missed goals are figures; a failed
     * check (outputs missing) fails the command after both are printed.
     */
    private int benchAll() throws Exception {
        BenchAll.Sizes sizes = quick ? BenchAll.Sizes.QUICK : BenchAll.Sizes.FULL;
        Scorecard card;
        try (BenchStack bench = BenchStack.prepare(overrides, true, true)) {
            card = new BenchAll(bench, sizes, System.err).run();
        }
        System.out.printf(
                "bench all%s: one stack, in this JVM (pid %d, max heap %,d MiB): its RSS is the"
                        + " whole stack's with the bench's clients%n",
                quick ? " --quick" : "",
                ProcessHandle.current().pid(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.print(card.table());
        System.out.println(card.json(quick));
        if (!card.failures().isEmpty()) {
            throw new CommandFailedException(
                    "bench all: checks failed: " + String.join("; ", card.failures()));
        }
        return 0;
    }

    /** A start on a new data dir, a clean stop, a restart on the same data; the three times. */
    private int benchStartUp() throws Exception {
        Scorecard card = new Scorecard();
        try (BenchStack bench = BenchStack.prepare(overrides, false, false)) {
            BenchAll.startTwice(bench, card, System.err).close();
        }
        ObjectNode json = Json.mapper().createObjectNode().put("bench", "start-up");
        for (Goal goal : List.of(Goal.STARTUP, Goal.STOP, Goal.RESTART)) {
            System.out.printf("%-30s %s%n", goal.label(), goal.format(card.measured(goal)));
            json.put(goal.key(), goal.round(card.measured(goal)));
        }
        System.out.println(json);
        return 0;
    }

    private void benchWis2(LocalStackSettings settings, List<String> upstreamUrls)
            throws Exception {
        try (Wis2Bench bench = new Wis2Bench(settings, upstreamUrls, System.err)) {
            Wis2Bench.Result result = bench.run(perMinute, seconds, flood);
            System.out.printf(
                    "processed             %,10.0f a minute  (%d of %d published at %,d a minute,"
                            + " 85 kB each, data server answering after 200 ms)%n",
                    result.processedPerMinute(),
                    result.cached(),
                    result.published(),
                    result.ratePerMinute());
            System.out.printf(
                    "pubtime -> republish  p50 %.0f ms, p99 %.0f ms%n",
                    result.p50Ms(), result.p99Ms());
            System.out.printf(
                    "dedupe flood          %,10.0f copies a minute  (%d messages x 5 copies from"
                            + " 2 brokers, %d republished)%n",
                    result.floodCopiesPerMinute(), result.floodMessages(), result.floodCached());
            System.out.println(result.json());
        }
    }

    private void benchAudit(LocalStackSettings settings, String key, long payloadBytes)
            throws Exception {
        AuditBench bench = new AuditBench(settings, key, System.err);
        List<AuditBench.Round> rounds = new ArrayList<>();
        for (long bytes : new long[] {payloadBytes, 2L << 20}) {
            AuditBench.Round r = bench.run(clients, bytes, roundSeconds);
            rounds.add(r);
            System.out.printf(
                    "%,9d-byte records  %,8.1f accepted/s  %,7.1f MB/s  receipt p50 %.1f ms, p99"
                            + " %.1f ms  POST -> final state p50 %.0f ms, p99 %.0f ms  (%d"
                            + " clients, %d accepted, %d refused, %d final states)%n",
                    r.payloadBytes(),
                    r.acceptedPerSecond(),
                    r.megabytesPerSecond(),
                    r.receiptP50Ms(),
                    r.receiptP99Ms(),
                    r.finalStateP50Ms(),
                    r.finalStateP99Ms(),
                    r.clients(),
                    r.accepted(),
                    r.refused(),
                    r.finished());
        }
        System.out.println(AuditBench.json(rounds));
    }

    private void benchTelemetry(LocalStack stack, Path work) throws Exception {
        TelemetryBench bench = new TelemetryBench(stack, work, System.err);
        if (engine.equals("flink")) {
            try (FlinkTelemetryBench flink = FlinkTelemetryBench.start(stack, work, System.err)) {
                TelemetryBench.Comparison both =
                        bench.compare(records, rate, latencySeconds, flink);
                printTelemetry("streams", both.streams());
                printTelemetry("flink", both.flink());
                System.out.printf(
                        "flink / streams      throughput %.3f, p50 %.3f, p99 %.3f  (flink"
                                + " checkpoints every %d ms, streams commits every %d ms)%n",
                        both.flink().topologyPerSecond() / both.streams().topologyPerSecond(),
                        both.flink().latency().p50Ms() / both.streams().latency().p50Ms(),
                        both.flink().latency().p99Ms() / both.streams().latency().p99Ms(),
                        both.flinkCheckpointInterval().toMillis(),
                        both.streamsCommitInterval().toMillis());
                System.out.println(both.json());
            }
            return;
        }
        TelemetryBench.Result result = bench.run(records, rate, latencySeconds);
        printTelemetry("streams", result);
        System.out.println(result.json());
    }

    private static void printTelemetry(String engine, TelemetryBench.Result result) {
        TelemetryBench.Latency latency = result.latency();
        System.out.printf(
                "%-7s telemetry   %,10.0f records/s  (exactly-once, 1 thread)%n",
                engine, result.topologyPerSecond());
        System.out.printf(
                "pass-through         %,10.0f records/s  (Streams, same guarantees, same data)%n",
                result.passThroughPerSecond());
        System.out.printf("ratio                %10.3f%n", result.ratio());
        System.out.printf(
                "end to end at %d/s   p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d SPEEDs"
                        + " (MQTT in -> source connector -> %s -> sink connector ->"
                        + " MQTT out)%n",
                latency.rate(),
                latency.p50Ms(),
                latency.p99Ms(),
                latency.maxMs(),
                latency.samples(),
                engine);
        for (TelemetryBench.Stage stage : latency.stages()) {
            System.out.printf(
                    "  %-32s p50 %.1f ms, p99 %.1f ms%n",
                    stage.name(), stage.p50Ms(), stage.p99Ms());
        }
    }
}
