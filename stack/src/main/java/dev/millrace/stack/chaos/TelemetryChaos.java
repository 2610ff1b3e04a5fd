package dev.millrace.stack.chaos;

import dev.millrace.local.LocalKafkaCluster;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.stack.LocalStack;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The telemetry pipeline under one fault after another, a race streaming in over MQTT all along:
 * its Streams application killed with SIGKILL (in a process of its own) and started again, the
 * Kafka node leading the race's input killed and started again, the MQTT broker restarted, the
 * Connect worker restarted, the S3 server stopped a while. After each fault, the time until a fix
 * published after it comes out on MQTT {@code carStatus}; at the end, what was sent, expected,
 * delivered, lost and duplicated, on Kafka (exactly once) and on MQTT (at least once).
 */
final class TelemetryChaos {
    private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);

    /**
     * How a run went.
     *
     * @param recoveries each fault and how long until the pipeline answered again, in ms
     */
    record Result(
            Map<String, Long> recoveries,
            RaceFeed.Outcome kafka,
            int mqttExpected,
            int mqttDelivered,
            int mqttMissing,
            int mqttDuplicates,
            int mqttDiffering) {
        boolean passed() {
            return kafka.exact() && mqttMissing == 0 && mqttDiffering == 0;
        }
    }

    private final LocalStack stack;
    private final TopologyProcess topology;
    private final int kills;
    private final Duration s3Outage;
    private final int rate;
    private final PrintStream out;
    private final List<Fix> published = new ArrayList<>();
    private final Map<String, List<byte[]>> onMqtt = new ConcurrentHashMap<>();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private final Map<String, Long> recoveries = new LinkedHashMap<>();

    /** A fault to inject; it returns once the fault is over (the part restarted). */
    private interface Fault {
        void inject() throws Exception;
    }

    TelemetryChaos(
            LocalStack stack,
            TopologyProcess topology,
            int kills,
            Duration s3Outage,
            int rate,
            PrintStream out) {
        this.stack = stack;
        this.topology = topology;
        this.kills = kills;
        this.s3Outage = s3Outage;
        this.rate = rate;
        this.out = out;
    }

    Result run() throws Exception {
        String mqttUrl = stack.settings().mqttUrl();
        MqttClient watcher = watch(mqttUrl);
        RaceSimulation race =
                new RaceSimulation(DemoTrack.TRACK, 6, 10, RaceSimulation.replayStart(), 53);
        Thread feed =
                new Thread(
                        () ->
                                RaceFeed.publish(
                                        mqttUrl,
                                        "chaos-feed",
                                        race,
                                        rate,
                                        published,
                                        sent -> feeding.get(),
                                        true),
                        "chaos-feed");
        feed.start();
        try {
            awaitFlow("the first fixes", System.nanoTime());
            for (int i = 1; i <= kills; i++) {
                recover(
                        "streams process SIGKILL " + i,
                        () -> {
                            topology.kill();
                            topology.start(RECOVERY_LIMIT);
                        });
            }
            LocalKafkaCluster cluster = stack.kafkaCluster().orElse(null);
            if (cluster != null) {
                int leader = RaceFeed.inputPartition(stack.admin()).leader().id();
                recover(
                        "kafka node " + leader + " (leader) SIGKILL and restart",
                        () -> {
                            cluster.kill(leader);
                            Thread.sleep(2_000);
                            cluster.start(leader);
                        });
            }
            recover("mqtt broker restart", () -> stack.mqttBroker().restart());
            recover("connect worker restart", stack::restartConnect);
            recover(
                    "s3 server down " + s3Outage.toSeconds() + " s (telemetry writes none)",
                    () -> {
                        stack.s3Server().stop();
                        Thread.sleep(s3Outage.toMillis());
                        stack.s3Server().restart();
                    });
        } finally {
            feeding.set(false);
            feed.join(TimeUnit.MINUTES.toMillis(1));
        }
        RaceFeed.Outcome kafka = RaceFeed.check(stack.settings().bootstrapServers(), published);
        // Every committed SPEED must reach MQTT, at least once, always with the same payload.
        Map<String, byte[]> committed = kafka.committed();
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        while (!onMqtt.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        watcher.disconnect();
        watcher.close();
        int missing = 0;
        int duplicates = 0;
        int differing = 0;
        for (Map.Entry<String, byte[]> speed : committed.entrySet()) {
            List<byte[]> seen = onMqtt.getOrDefault(speed.getKey(), List.of());
            if (seen.isEmpty()) {
                missing++;
            }
            duplicates += Math.max(0, seen.size() - 1);
            differing +=
                    (int) seen.stream().filter(p -> !Arrays.equals(p, speed.getValue())).count();
        }
        return new Result(
                recoveries,
                kafka,
                committed.size(),
                committed.size() - missing,
                missing,
                duplicates,
                differing);
    }

    /** Injects a fault and records how long the pipeline took to answer again. */
    private void recover(String name, Fault fault) throws Exception {
        long t0 = System.nanoTime();
        fault.inject();
        recoveries.put(name, awaitFlow(name, t0));
    }

    /**
     * A subscriber to {@code carStatus} with a persistent session, so that a broker restart loses
     * it nothing: each SPEED it receives, by {@code car@timestamp}.
     */
    private MqttClient watch(String mqttUrl) throws MqttException {
        MqttClient client = new MqttClient(mqttUrl, "chaos-watch", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(1_000);
        client.connect(options);
        client.subscribe(
                TelemetryPipeline.MQTT_STATUS,
                1,
                (topic, message) ->
                        RaceFeed.speedKey(message.getPayload())
                                .ifPresent(
                                        key ->
                                                onMqtt.computeIfAbsent(
                                                                key,
                                                                k ->
                                                                        Collections
                                                                                .synchronizedList(
                                                                                        new ArrayList<>()))
                                                        .add(message.getPayload())));
        return client;
    }

    /**
     * Milliseconds from {@code t0} until a fix published after now has its SPEED on MQTT: the
     * pipeline answers again, end to end.
     */
    private long awaitFlow(String after, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        int before = publishedCount();
        Fix probe = null;
        while (System.nanoTime() < deadline) {
            // A car's first fix has no SPEED: probe with a fix once every car has had one.
            int count = publishedCount();
            if (probe == null && count > before && count > 60) {
                synchronized (published) {
                    probe = published.get(count - 1);
                }
            }
            if (probe != null && onMqtt.containsKey(RaceFeed.key(probe))) {
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
                        + publishedCount()
                        + " fixes published, "
                        + onMqtt.size()
                        + " SPEEDs seen on MQTT");
    }

    private int publishedCount() {
        synchronized (published) {
            return published.size();
        }
    }
}
