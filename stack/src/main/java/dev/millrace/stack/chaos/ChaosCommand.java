package dev.millrace.stack.chaos;

import dev.millrace.cli.CommandFailedException;
import dev.millrace.config.ConfigKey;
import dev.millrace.files.Directories;
import dev.millrace.pipeline.AuditPipeline;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.pipeline.Wis2Pipeline;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace chaos <pipeline>}: a fresh local stack of its own on a three-node Kafka cluster,
 * the pipeline's Streams application in a process of its own, a known input at a steady rate
 * through the pipeline's real entry, and one fault after another; then what was lost or duplicated,
 * and how long each fault took to recover from. Exit code 1 on any loss or Kafka-side duplicate.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Run a pipeline on a fresh local stack of its own (three Kafka nodes, the Streams"
                    + " application in its own process) while injecting faults one after"
                    + " another: SIGKILL of the Streams process (--kills times), the leading"
                    + " Kafka node killed and restarted, the MQTT broker restarted, the Connect"
                    + " worker restarted, the S3 server stopped for --s3-outage (the MQTT broker"
                    + " only for the pipelines that use it).",
            "Then it prints the recovery time of each fault and what was sent, expected,"
                    + " delivered, lost and duplicated on Kafka (exactly once) and on MQTT (at"
                    + " least once); exit code 1 on any loss or Kafka-side duplicate.",
            "wis2 also has its WIS2 node's data server fail for --data-outage; what the cache"
                    + " step dead-lettered meanwhile is redriven at the end, as an operator would.",
            "--engine flink runs the pipeline's Flink job instead, on a Flink session in its own"
                    + " process: the kills are SIGKILLs of that process, each followed by the"
                    + " job's restore from its last retained checkpoint.",
            "Pipelines: telemetry, wis2, audit."
        })
public final class ChaosCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "PIPELINE",
            description = "The pipeline: telemetry, wis2 or audit.")
    String pipeline;

    @Option(
            names = "--kills",
            defaultValue = "10",
            description = "SIGKILLs of the Streams (or Flink) process (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(
            names = "--s3-outage",
            defaultValue = "30s",
            description = "How long the S3 server stays down (default ${DEFAULT-VALUE}).")
    String s3Outage;

    @Option(
            names = "--rate",
            description = "Input records a second (default: telemetry 100, wis2 20, audit 20).")
    Integer rate;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "A setting of the chaos stack and its Streams process.")
    Map<String, String> overrides = new HashMap<>();

    @Option(
            names = "--data-outage",
            defaultValue = "20s",
            description =
                    "wis2: how long the WIS2 node's data server answers 503 (default"
                            + " ${DEFAULT-VALUE}).")
    String dataOutage;

    @Option(
            names = "--faults",
            split = ",",
            paramLabel = "KIND",
            description =
                    "The kinds of fault to inject, in their fixed order: streams, kafka, mqtt,"
                            + " connect, s3, and data for wis2 (default: all). Without kafka the"
                            + " stack runs one Kafka node rather than three.")
    List<String> faults;

    @Option(
            names = "--engine",
            defaultValue = "streams",
            description =
                    "What runs the topology: streams (default; millrace run <pipeline>) or flink"
                            + " (the pipeline's Flink job on a Flink session).")
    String engine;

    @Option(names = "--keep", description = "Keep the run's data and logs even when it passes.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        Duration outage = duration("--s3-outage", s3Outage);
        if (kills < 0 || (rate != null && (rate < 1 || rate > 5_000))) {
            throw new CommandFailedException(
                    "--kills must be at least 0, --rate between 1 and 5000");
        }
        if (!List.of("streams", "flink").contains(engine)) {
            throw new CommandFailedException("--engine is streams or flink, not '" + engine + "'");
        }
        PipelineChaos chaos = pipeline();
        Set<String> kinds = kinds(chaos);
        Path work = Files.createTempDirectory("millrace-chaos-");
        boolean passed = false;
        try (chaos) {
            Map<String, String> flags = new HashMap<>(chaos.prepare(work));
            flags.putAll(overrides);
            // Three Kafka nodes for the node fault; one is enough without it.
            flags.putIfAbsent(
                    LocalStackSettings.BROKERS.name(), kinds.contains("kafka") ? "3" : "1");
            flags.put(LocalStackSettings.ENGINE.name(), "none");
            LocalStackSettings settings =
                    LocalStackSettings.onFreePorts(work.resolve("stack"), flags, System.getenv());
            System.err.println("starting a local stack in " + work);
            try (LocalStack stack = LocalStack.start(settings);
                    EngineProcess topology = engineProcess(work, settings)) {
                topology.start(Duration.ofMinutes(2));
                Map<String, Health.Status> health = stack.awaitHealthy(Duration.ofMinutes(2));
                if (!health.values().stream().allMatch(Health.Status::up)) {
                    throw new CommandFailedException("the chaos stack is not healthy: " + health);
                }
                ChaosRun.Result result =
                        new ChaosRun(stack, topology, chaos, kinds, kills, outage, System.out)
                                .run();
                report(result);
                passed = result.passed();
                return passed ? 0 : 1;
            }
        } finally {
            if (passed && !keep) {
                Directories.delete(work);
            } else {
                System.err.println("the run's data and logs stay in " + work);
            }
        }
    }

    /** The process that runs the pipeline's topology, on the stack's Kafka. */
    private EngineProcess engineProcess(Path work, LocalStackSettings settings) {
        if (engine.equals("flink")) {
            return new FlinkJobProcess(
                    pipeline,
                    work.resolve(pipeline + "-flink"),
                    settings.config(),
                    settings.bootstrapServers());
        }
        return new TopologyProcess(
                pipeline,
                work.resolve(pipeline),
                Map.of("kafka.bootstrap-servers", settings.bootstrapServers()));
    }

    private PipelineChaos pipeline() {
        return switch (pipeline) {
            case TelemetryPipeline.NAME -> new TelemetryChaos(rate == null ? 100 : rate);
            case Wis2Pipeline.NAME ->
                    new Wis2Chaos(rate == null ? 20 : rate, duration("--data-outage", dataOutage));
            case AuditPipeline.NAME -> new AuditChaos(rate == null ? 20 : rate);
            default ->
                    throw new CommandFailedException(
                            "no chaos run for pipeline '"
                                    + pipeline
                                    + "'; chaos runs: telemetry, wis2, audit");
        };
    }

    /** The kinds of fault asked for, all of them by default. */
    private Set<String> kinds(PipelineChaos chaos) {
        Set<String> known = new LinkedHashSet<>(ChaosRun.KINDS);
        chaos.faults().keySet().forEach(fault -> known.add(ChaosRun.kind(fault)));
        if (faults == null) {
            return known;
        }
        for (String kind : faults) {
            if (!known.contains(kind)) {
                throw new CommandFailedException(
                        "--faults: no fault '"
                                + kind
                                + "' for "
                                + pipeline
                                + "; faults: "
                                + String.join(", ", known));
            }
        }
        return new LinkedHashSet<>(faults);
    }

    private static Duration duration(String option, String value) {
        try {
            return ConfigKey.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(option + ": " + e.getMessage());
        }
    }

    private void report(ChaosRun.Result result) {
        System.out.println();
        System.out.println("chaos " + pipeline + (engine.equals("flink") ? " --engine flink" : ""));
        System.out.printf("%-52s %12s%n", "fault", "recovered in");
        result.recoveries()
                .forEach((fault, ms) -> System.out.printf("%-52s %9.1f s%n", fault, ms / 1000.0));
        System.out.println();
        System.out.printf(
                "%-28s %9s %9s %9s %6s %11s%n",
                "", "sent", "expected", "delivered", "lost", "duplicated");
        for (PipelineChaos.Row row : result.verdict().rows()) {
            System.out.printf(
                    "%-28s %9s %9d %9d %6d %11d%n",
                    row.name(),
                    row.sent(),
                    row.expected(),
                    row.delivered(),
                    row.lost(),
                    row.duplicated());
        }
        result.verdict().notes().forEach(System.out::println);
        System.out.println(result.passed() ? "PASSED" : "FAILED");
    }
}
