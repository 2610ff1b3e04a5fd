package dev.millrace.stack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.demo.RacePublisher;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.streams.telemetry.TelemetryTopology;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.RaceRules;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Measures the telemetry pipeline on a running local stack, in one run:
 *
 * <ol>
 *   <li>throughput: synthetic fixes are loaded into a fresh input topic, then the telemetry
 *       topology and a pass-through application with the same guarantees (exactly-once v2, same
 *       commit interval, one thread) each process all of them from the start;
 *   <li>latency: fixes are published over MQTT at a steady rate through the whole pipeline (source
 *       connector, topology, sink connector) and each SPEED coming back on {@code carStatus} is
 *       matched to the fix it was computed from.
 * </ol>
 */
public final class TelemetryBench {
    private static final String INPUT = "bench.car-coordinates";
    private static final TelemetryTopology.Topics TOPICS =
            new TelemetryTopology.Topics(INPUT, "bench.car-status", "bench.events", "bench.dlq");
    private static final String PASS_THROUGH_OUT = "bench.pass-through";

    /** The Flink job reads the same fixes and writes topics of its own. */
    private static final TelemetryTopology.Topics FLINK_TOPICS =
            new TelemetryTopology.Topics(
                    INPUT, "bench.flink.car-status", "bench.flink.events", "bench.flink.dlq");

    private static final int CARS = 6;
    private static final int LOAD_HZ = 10;
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int ROUNDS = 3;

    /** What one run measured. */
    public record Result(
            long records, double topologyPerSecond, double passThroughPerSecond, Latency latency) {

        public double ratio() {
            return topologyPerSecond / passThroughPerSecond;
        }

        public String json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("pipeline", "telemetry");
            o.setAll(fields());
            o.put("processingGuarantee", "exactly_once_v2");
            return o.toString();
        }

        ObjectNode fields() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("records", records);
            o.put("topologyRecordsPerSec", Math.round(topologyPerSecond));
            o.put("passThroughRecordsPerSec", Math.round(passThroughPerSecond));
            o.put("ratio", Math.round(ratio() * 1000) / 1000.0);
            o.put("latencyRatePerSec", latency.rate());
            o.put("latencySamples", latency.samples());
            o.put("latencyP50Ms", Math.round(latency.p50Ms() * 10) / 10.0);
            o.put("latencyP99Ms", Math.round(latency.p99Ms() * 10) / 10.0);
            o.put("latencyMaxMs", Math.round(latency.maxMs() * 10) / 10.0);
            o.put("latencyUnanswered", latency.unanswered());
            var stageArray = o.putArray("latencyStages");
            for (Stage stage : latency.stages()) {
                stageArray
                        .addObject()
                        .put("stage", stage.name())
                        .put("p50Ms", Math.round(stage.p50Ms() * 10) / 10.0)
                        .put("p99Ms", Math.round(stage.p99Ms() * 10) / 10.0);
            }
            return o;
        }
    }

    /**
     * One latency run through the stack's own pipeline: SPEEDs matched, fixes whose SPEED never
     * came back, and the percentiles of the matched ones.
     */
    public record Latency(
            int rate,
            int samples,
            int unanswered,
            double p50Ms,
            double p99Ms,
            double maxMs,
            List<Stage> stages) {
        static Latency of(int rate, long[] latencies, int unanswered, List<Stage> stages) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return new Latency(
                    rate,
                    sorted.length,
                    unanswered,
                    Percentiles.of(sorted, 0.50) / 1e6,
                    Percentiles.of(sorted, 0.99) / 1e6,
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
                    stages);
        }
    }

    /** The stages of the end-to-end latency, as seen by consumers between them. */
    public static final String STAGE_SOURCE = "MQTT in -> input topic";

    /**
     * Part of the first stage: from MQTT in to the source task's MQTT client, which stamps each
     * record with the time its message arrived (to the millisecond).
     */
    public static final String STAGE_BROKER = "of which MQTT in -> source task";

    public static final String STAGE_TOPOLOGY = "input topic -> committed output";
    public static final String STAGE_SINK = "committed output -> MQTT out";

    /** One stage's share of the end-to-end latency, over the SPEEDs timed at both its ends. */
    public record Stage(String name, double p50Ms, double p99Ms) {
        static Stage of(String name, List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Stage(
                    name, Percentiles.of(sorted, 0.50) / 1e6, Percentiles.of(sorted, 0.99) / 1e6);
        }
    }

    /** Both engines measured in one run on the same data; {@code flink} null if not asked. */
    public record Comparison(
            Result streams,
            Result flink,
            Duration streamsCommitInterval,
            Duration flinkCheckpointInterval) {
        public String json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("pipeline", "telemetry");
            o.set("streams", streams.fields());
            ((ObjectNode) o.get("streams"))
                    .put("processingGuarantee", "exactly_once_v2")
                    .put("commitIntervalMs", streamsCommitInterval.toMillis());
            o.set("flink", flink.fields());
            ((ObjectNode) o.get("flink"))
                    .put("processingGuarantee", "exactly_once")
                    .put("checkpointIntervalMs", flinkCheckpointInterval.toMillis());
            o.put(
                    "flinkToStreamsThroughput",
                    round3(flink.topologyPerSecond() / streams.topologyPerSecond()));
            o.put(
                    "flinkToStreamsLatencyP50",
                    round3(flink.latency().p50Ms() / streams.latency().p50Ms()));
            o.put(
                    "flinkToStreamsLatencyP99",
                    round3(flink.latency().p99Ms() / streams.latency().p99Ms()));
            return o.toString();
        }

        private static double round3(double value) {
            return Math.round(value * 1000) / 1000.0;
        }
    }

    private final LocalStack stack;
    private final KafkaSettings kafka;
    private final StreamsSettings streams;
    private final RaceRules rules;
    private final PrintStream progress;

    public TelemetryBench(LocalStack stack, Path workDir, PrintStream progress) {
        this.stack = stack;
        this.kafka = stack.settings().kafka();
        StreamsSettings configured = stack.settings().streams();
        this.streams =
                new StreamsSettings(
                        workDir.resolve("bench-streams"), 1, configured.commitInterval());
        this.rules = stack.settings().telemetry();
        this.progress = progress;
    }

    public Result run(long records, int rate, int latencySeconds) throws Exception {
        return measure(records, rate, latencySeconds, null).streams();
    }

    /**
     * The latency run alone, through the stack's own pipeline: on a stack just healthy, with no
     * warm-up left out ({@code warmUp} zero), it is the cold latency, the first fixes included.
     */
    public Latency latency(int rate, int seconds, Duration warmUp) throws Exception {
        return latency(rate, seconds, warmUp.toNanos());
    }

    /**
     * The Streams topology and the Flink job on the same loaded fixes (alternating rounds), then
     * the latency through MQTT of each in turn, the job in place of the stack's topology.
     */
    public Comparison compare(long records, int rate, int latencySeconds, FlinkTelemetryBench flink)
            throws Exception {
        return measure(records, rate, latencySeconds, flink);
    }

    private Comparison measure(
            long records, int rate, int latencySeconds, FlinkTelemetryBench flink)
            throws Exception {
        createTopics(
                flink == null
                        ? List.of()
                        : List.of(
                                FLINK_TOPICS.carStatus(),
                                FLINK_TOPICS.events(),
                                FLINK_TOPICS.deadLetters()));
        load(records);
        // Alternating rounds, the median of each: one run on a shared 2-core machine can be off
        // by a third either way.
        double[] topology = new double[ROUNDS];
        double[] passThrough = new double[ROUNDS];
        double[] job = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            passThrough[round] =
                    throughput(
                            "bench-pass-through-" + round,
                            passThrough(),
                            records,
                            String.format("pass-through %d/%d  ", round + 1, ROUNDS));
            topology[round] =
                    throughput(
                            "bench-telemetry-" + round,
                            new TelemetryTopology(rules, TOPICS).build(),
                            records,
                            String.format("topology     %d/%d  ", round + 1, ROUNDS));
            if (flink != null) {
                job[round] =
                        flink.throughput(
                                FLINK_TOPICS,
                                records,
                                String.format("flink job    %d/%d  ", round + 1, ROUNDS));
            }
        }
        Result streamsResult =
                new Result(
                        records,
                        median(topology),
                        median(passThrough),
                        latency(rate, latencySeconds, WARM_UP_NANOS));
        if (flink == null) {
            return new Comparison(streamsResult, null, streams.commitInterval(), null);
        }
        String live = flink.startLive();
        Latency jobLatencies;
        try {
            jobLatencies = latency(rate, latencySeconds, WARM_UP_NANOS);
        } finally {
            flink.stopLive(live);
        }
        return new Comparison(
                streamsResult,
                new Result(records, median(job), median(passThrough), jobLatencies),
                streams.commitInterval(),
                flink.checkpointInterval());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void createTopics(List<String> more) throws Exception {
        List<String> names =
                new ArrayList<>(
                        List.of(
                                INPUT,
                                TOPICS.carStatus(),
                                TOPICS.events(),
                                TOPICS.deadLetters(),
                                PASS_THROUGH_OUT));
        names.addAll(more);
        List<NewTopic> topics =
                names.stream().map(name -> new NewTopic(name, 1, (short) 1)).toList();
        stack.admin().createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }

    private void load(long records) throws Exception {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // All of it in the past, as a recorded race: a fix ahead of its record's time by more
        // than telemetry.max-lead is dead-lettered, and the bench would measure that path.
        RaceSimulation race =
                new RaceSimulation(
                        DemoTrack.TRACK,
                        CARS,
                        LOAD_HZ,
                        RaceSimulation.replayStart(records, CARS, LOAD_HZ),
                        17);
        byte[] key = "bench-race".getBytes(StandardCharsets.UTF_8);
        Progress bar = new Progress(progress, "loading fixes     ", records);
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(INPUT, key, FixJson.write(race.next())));
                if (i % 5_000 == 0) {
                    bar.update(i);
                }
            }
            producer.flush();
        }
        bar.done(String.format("%d fixes in %.1f s", records, (System.nanoTime() - t0) / 1e9));
    }

    private static Topology passThrough() {
        Topology topology = new Topology();
        topology.addSource(
                "bench-source",
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                INPUT);
        topology.addSink(
                "bench-sink",
                PASS_THROUGH_OUT,
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(),
                "bench-source");
        return topology;
    }

    /**
     * Records per second from the moment the application is RUNNING to the moment it has committed
     * its position at the end of the input.
     */
    private double throughput(String applicationId, Topology topology, long records, String label)
            throws Exception {
        TopicPartition input = new TopicPartition(INPUT, 0);
        Admin admin = stack.admin();
        long end =
                admin.listOffsets(Map.of(input, OffsetSpec.latest()))
                        .partitionResult(input)
                        .get()
                        .offset();
        Progress bar = new Progress(progress, label, end);
        try (StreamsRunner runner =
                new StreamsRunner(
                        applicationId,
                        topology,
                        StreamsRunner.properties(
                                applicationId, kafka, streams, TOPICS.deadLetters()),
                        new SimpleMeterRegistry())) {
            runner.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (runner.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            applicationId + " did not start: " + runner.problem());
                }
                Thread.sleep(10);
            }
            long t0 = System.nanoTime();
            long committed = 0;
            while (committed < end) {
                if (System.nanoTime() > deadline + TimeUnit.SECONDS.toNanos(600)) {
                    throw new IllegalStateException(
                            applicationId + " stalled at offset " + committed);
                }
                Thread.sleep(20);
                OffsetAndMetadata offset =
                        admin.listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(input);
                committed = offset == null ? 0 : offset.offset();
                bar.update(committed);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double perSecond = records / seconds;
            bar.done(String.format("%,.0f records/s", perSecond));
            return perSecond;
        }
    }

    /**
     * Publishes fixes at {@code rate} a second over MQTT for {@code seconds} and returns, in
     * nanoseconds, how long each SPEED took to come back on {@code carStatus}, leaving out the
     * fixes sent in the first {@code warmUpNanos}.
     */
    private Latency latency(int rate, int seconds, long warmUpNanos) throws Exception {
        int hz = Math.max(1, rate / CARS);
        long fixes = (long) hz * CARS * seconds;
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        // Fix key -> [sent, came back on MQTT], for the fixes past the warm-up.
        Map<Long, long[]> timed = new ConcurrentHashMap<>();
        long[] startNanos = new long[1];
        String mqttUrl = stack.settings().mqttUrl();
        MqttClient subscriber =
                new MqttClient(mqttUrl, "millrace-bench-subscriber", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        subscriber.connect(options);
        subscriber.subscribe(
                TelemetryPipeline.MQTT_STATUS,
                0,
                (topic, message) -> {
                    long now = System.nanoTime();
                    Long key = speedKey(message.getPayload());
                    Long sent = key == null ? null : sentAt.remove(key);
                    if (sent != null && sent - startNanos[0] >= warmUpNanos) {
                        timed.put(key, new long[] {sent, now});
                    }
                });
        RaceSimulation race =
                new RaceSimulation(DemoTrack.TRACK, CARS, hz, System.currentTimeMillis(), 23);
        Progress bar =
                new Progress(progress, String.format("latency at %d/s   ", hz * CARS), fixes);
        try (StageClock input =
                        new StageClock(
                                kafka.bootstrapServers(),
                                TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                                TelemetryBench::fixKey);
                StageClock output =
                        new StageClock(
                                kafka.bootstrapServers(),
                                TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                                TelemetryBench::speedKey);
                RacePublisher publisher =
                        new RacePublisher(
                                mqttUrl,
                                "millrace-bench-publisher",
                                TelemetryPipeline.MQTT_IN,
                                race,
                                1,
                                (fix, nanos) ->
                                        sentAt.put(fix.timestamp() * 64 + fix.carIndex(), nanos))) {
            startNanos[0] = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            publisher.start(fixes);
            while (publisher.published() < fixes) {
                bar.update(publisher.published());
                Thread.sleep(100);
            }
            publisher.join();
            publisher.drain(10_000);
            // Every fix but each car's first gives a SPEED; wait for the last of them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sentAt.size() > CARS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            subscriber.disconnect();
            int unanswered = Math.max(0, sentAt.size() - CARS);
            bar.done(String.format("%d SPEEDs matched, %d unanswered", timed.size(), unanswered));
            return Latency.of(
                    hz * CARS,
                    timed.values().stream().mapToLong(t -> t[1] - t[0]).toArray(),
                    unanswered,
                    stages(timed, input, output, startNanos[0], startMillis));
        } finally {
            if (subscriber.isConnected()) {
                subscriber.disconnect();
            }
            subscriber.close();
        }
    }

    /** Each stage over the SPEEDs seen at both its ends. */
    private static List<Stage> stages(
            Map<Long, long[]> timed,
            StageClock input,
            StageClock output,
            long startNanos,
            long startMillis) {
        List<Long> source = new ArrayList<>();
        List<Long> broker = new ArrayList<>();
        List<Long> topology = new ArrayList<>();
        List<Long> sink = new ArrayList<>();
        timed.forEach(
                (key, t) -> {
                    Long in = input.seenAt(key);
                    Long out = output.seenAt(key);
                    if (in != null) {
                        source.add(in - t[0]);
                        long sentMillis = startMillis + (t[0] - startNanos) / 1_000_000;
                        broker.add(
                                TimeUnit.MILLISECONDS.toNanos(input.stampedAt(key) - sentMillis));
                    }
                    if (in != null && out != null) {
                        topology.add(out - in);
                    }
                    if (out != null) {
                        sink.add(t[1] - out);
                    }
                });
        return List.of(
                Stage.of(STAGE_SOURCE, source),
                Stage.of(STAGE_BROKER, broker),
                Stage.of(STAGE_TOPOLOGY, topology),
                Stage.of(STAGE_SINK, sink));
    }

    /** A fix's key: its time and car. */
    private static Long fixKey(byte[] payload) {
        try {
            Fix fix = FixJson.parse(payload);
            return fix.timestamp() * 64 + fix.carIndex();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The key of the fix a SPEED was computed from; null for any other status. */
    private static Long speedKey(byte[] payload) {
        try {
            JsonNode status = Json.mapper().readTree(payload);
            if (!"SPEED".equals(status.path("type").asText())) {
                return null;
            }
            return status.path("timestamp").asLong() * 64 + status.path("carIndex").asInt();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
