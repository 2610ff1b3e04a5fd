package dev.millrace.stack.bench;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.flink.FlinkArgs;
import dev.millrace.cli.flink.FlinkHome;
import dev.millrace.cli.flink.FlinkProcess;
import dev.millrace.cli.flink.FlinkRest;
import dev.millrace.config.FlinkSettings;
import dev.millrace.local.Ports;
import dev.millrace.stack.LocalStack;
import dev.millrace.streams.telemetry.TelemetryTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The telemetry Flink job in a benchmark beside the Streams topology: a Flink session of its own (a
 * child JVM) to which the job jar is submitted through the REST API, as to any cluster, with the
 * stack's settings (flink.checkpoint-interval included). The job commits its input offsets with
 * each checkpoint, so it has processed its input when those reach the end.
 */
final class FlinkTelemetryBench implements AutoCloseable {
    /** The job's consumer group, where it commits its input offsets at each checkpoint. */
    private static final String GROUP = FlinkSettings.GROUP_PREFIX + "telemetry";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final LocalStack stack;
    private final FlinkProcess session;
    private final FlinkRest rest;
    private final String jarId;
    private final PrintStream progress;

    private FlinkTelemetryBench(
            LocalStack stack,
            FlinkProcess session,
            FlinkRest rest,
            String jarId,
            PrintStream progress) {
        this.stack = stack;
        this.session = session;
        this.rest = rest;
        this.jarId = jarId;
        this.progress = progress;
    }

    /** Starts a one-slot session beside {@code stack} and uploads the job jar to it. */
    static FlinkTelemetryBench start(LocalStack stack, Path workDir, PrintStream progress)
            throws Exception {
        FlinkHome home = FlinkHome.require();
        int port = Ports.free();
        FlinkProcess session =
                FlinkProcess.session(
                        home,
                        port,
                        1,
                        List.of(),
                        workDir.resolve("flink-session.log"),
                        START_TIMEOUT);
        try {
            FlinkRest rest = new FlinkRest(FlinkProcess.restUrl(port));
            return new FlinkTelemetryBench(stack, session, rest, rest.upload(home.jar()), progress);
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    /**
     * Records per second from the moment the job runs to the moment it has committed its position
     * at the end of the input of {@code topics}, which it reads and writes instead of the
     * pipeline's own.
     */
    double throughput(TelemetryTopology.Topics topics, long records, String label)
            throws Exception {
        TopicPartition input = new TopicPartition(topics.carCoordinates(), 0);
        Map<TopicPartition, Long> end = ends(topics.carCoordinates(), 1);
        Progress bar = new Progress(progress, label, end.get(input));
        String topicMap =
                String.join(
                        ",",
                        TopicCatalog.TELEMETRY_CAR_COORDINATES.name()
                                + "="
                                + topics.carCoordinates(),
                        TopicCatalog.TELEMETRY_CAR_STATUS.name() + "=" + topics.carStatus(),
                        TopicCatalog.TELEMETRY_EVENTS.name() + "=" + topics.events(),
                        TopicCatalog.TELEMETRY_DLQ.name() + "=" + topics.deadLetters());
        String jobId = submit(List.of("--set", FlinkSettings.TOPIC_MAP.name() + "=" + topicMap));
        long t0 = System.nanoTime();
        awaitCommitted(end, bar);
        double perSecond = records / ((System.nanoTime() - t0) / 1e9);
        bar.done(String.format("%,.0f records/s", perSecond));
        cancel(jobId);
        return perSecond;
    }

    /**
     * Runs the job on the pipeline's own topics in place of the stack's Streams topology, caught up
     * with what they already hold; the id to {@link #stopLive} it with.
     */
    String startLive() throws Exception {
        stack.streamsApps().stop("telemetry");
        Map<TopicPartition, Long> end =
                ends(
                        TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                        TopicCatalog.TELEMETRY_CAR_COORDINATES.partitions());
        String jobId = submit(List.of());
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        Progress bar = new Progress(progress, "flink catching up ", total);
        awaitCommitted(end, bar);
        bar.done("caught up");
        return jobId;
    }

    /** How often the job checkpoints, and so commits its outputs. */
    Duration checkpointInterval() {
        return FlinkSettings.from(stack.context().config()).checkpointInterval();
    }

    void stopLive(String jobId) throws Exception {
        cancel(jobId);
    }

    private String submit(List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("telemetry"));
        args.addAll(FlinkArgs.of(stack.context().config()));
        args.addAll(
                List.of("--set", "kafka.bootstrap-servers=" + stack.settings().bootstrapServers()));
        args.addAll(extra);
        String jobId = rest.run(jarId, args, null);
        rest.await(jobId, "RUNNING", START_TIMEOUT);
        return jobId;
    }

    private void cancel(String jobId) throws Exception {
        rest.cancel(jobId);
        rest.await(jobId, "CANCELED", START_TIMEOUT);
        // The next run reads from the start again and must not find this one's position.
        stack.admin().deleteConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS);
    }

    private Map<TopicPartition, Long> ends(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        stack.admin()
                .listOffsets(request)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private void awaitCommitted(Map<TopicPartition, Long> ends, Progress bar) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    stack.admin()
                            .listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
            long done = 0;
            boolean all = true;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                long offset = at == null ? 0 : at.offset();
                done += Math.min(offset, end.getValue());
                all &= offset >= end.getValue();
            }
            bar.update(done);
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the Flink job did not reach the end of its input in 10 minutes; see "
                                + session.log());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
