package dev.millrace.stack.chaos;

import dev.millrace.local.LocalKafkaCluster;
import dev.millrace.stack.LocalStack;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The faults every pipeline goes through, one after another, its input flowing all along: its
 * Streams application or Flink job (in a process of its own) killed with SIGKILL and started again,
 * the Kafka node leading the input killed and started again, the MQTT broker restarted, the Connect
 * worker restarted, the S3 server stopped a while; then the pipeline's own faults. After each, the
 * time until an input sent after it comes out; at the end, the pipeline's verdict.
 */
final class ChaosRun {
    static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);

    /** The kinds of fault every pipeline goes through, in order. */
    static final List<String> KINDS = List.of("streams", "kafka", "mqtt", "connect", "s3");

    /**
     * How a run went.
     *
     * @param recoveries each fault and how long until the pipeline answered again, in ms
     */
    record Result(Map<String, Long> recoveries, PipelineChaos.Verdict verdict) {
        boolean passed() {
            return verdict.passed();
        }
    }

    private final LocalStack stack;
    private final EngineProcess topology;
    private final PipelineChaos pipeline;
    private final int kills;
    private final Duration s3Outage;
    private final PrintStream out;
    private final Set<String> kinds;
    private final Map<String, Long> recoveries = new LinkedHashMap<>();

    /**
     * @param kinds the kinds of fault to inject: {@link #KINDS} and the first words of the
     *     pipeline's own faults
     */
    ChaosRun(
            LocalStack stack,
            EngineProcess topology,
            PipelineChaos pipeline,
            Set<String> kinds,
            int kills,
            Duration s3Outage,
            PrintStream out) {
        this.kinds = kinds;
        this.stack = stack;
        this.topology = topology;
        this.pipeline = pipeline;
        this.kills = kills;
        this.s3Outage = s3Outage;
        this.out = out;
    }

    Result run() throws Exception {
        pipeline.start(stack);
        try {
            awaitFlow("the first input", System.nanoTime());
            for (int i = 1; kinds.contains("streams") && i <= kills; i++) {
                recover(
                        topology.killed() + " " + i,
                        () -> {
                            topology.kill();
                            topology.start(RECOVERY_LIMIT);
                        });
            }
            LocalKafkaCluster cluster = stack.kafkaCluster().orElse(null);
            if (cluster != null && kinds.contains("kafka")) {
                int leader = pipeline.inputPartition(stack.admin()).leader().id();
                recover(
                        "kafka node " + leader + " (leader) SIGKILL and restart",
                        () -> {
                            cluster.kill(leader);
                            Thread.sleep(2_000);
                            cluster.start(leader);
                        });
            }
            if (pipeline.usesMqtt() && kinds.contains("mqtt")) {
                recover("mqtt broker restart", () -> stack.mqttBroker().restart());
            }
            if (kinds.contains("connect")) {
                recover("connect worker restart", stack::restartConnect);
            }
            if (kinds.contains("s3")) {
                recover(
                        "s3 server down " + s3Outage.toSeconds() + " s",
                        () -> {
                            stack.s3Server().stop();
                            Thread.sleep(s3Outage.toMillis());
                            stack.s3Server().restart();
                        });
            }
            for (Map.Entry<String, PipelineChaos.Fault> fault : pipeline.faults().entrySet()) {
                if (kinds.contains(kind(fault.getKey()))) {
                    recover(fault.getKey(), fault.getValue());
                }
            }
        } finally {
            pipeline.stop();
        }
        return new Result(recoveries, pipeline.verify(stack));
    }

    /** The kind of one of the pipeline's own faults: the first word of its name. */
    static String kind(String fault) {
        int space = fault.indexOf(' ');
        return space < 0 ? fault : fault.substring(0, space);
    }

    /** Injects a fault and records how long the pipeline took to answer again. */
    private void recover(String name, PipelineChaos.Fault fault) throws Exception {
        long t0 = System.nanoTime();
        fault.inject();
        recoveries.put(name, awaitFlow(name, t0));
    }

    /**
     * Milliseconds from {@code t0} until an input sent after now has come out: the pipeline answers
     * again, end to end.
     */
    private long awaitFlow(String after, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        int before = pipeline.sent();
        BooleanSupplier probe = null;
        while (System.nanoTime() < deadline) {
            if (probe == null) {
                probe = pipeline.answeredAfter(before);
            }
            if (probe != null && probe.getAsBoolean()) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                out.printf("  recovered from %s in %d ms%n", after, ms);
                return ms;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(
                "no output within "
                        + RECOVERY_LIMIT
                        + " after "
                        + after
                        + ": "
                        + pipeline.sent()
                        + " inputs sent, the last unanswered");
    }
}
