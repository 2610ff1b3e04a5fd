package dev.millrace.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.LocalKafkaCluster;
import dev.millrace.local.TopicReader;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.stack.LocalStack;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
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
    private final Map<String, List<String>> onMqtt = new ConcurrentHashMap<>();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private final AtomicReference<Fix> lastPublished = new AtomicReference<>();

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
        Thread feed = new Thread(() -> feed(mqttUrl, race), "chaos-feed");
        feed.start();
        Map<String, Long> recoveries = new LinkedHashMap<>();
        try {
            awaitFlow("the first fixes", System.nanoTime());
            for (int i = 1; i <= kills; i++) {
                long t0 = System.nanoTime();
                topology.kill();
                topology.start(RECOVERY_LIMIT);
                recoveries.put("streams process SIGKILL " + i, awaitFlow("kill " + i, t0));
            }
            LocalKafkaCluster cluster = stack.kafkaCluster().orElse(null);
            if (cluster != null) {
                int leader = inputLeader();
                long t0 = System.nanoTime();
                cluster.kill(leader);
                Thread.sleep(2_000);
                cluster.start(leader);
                recoveries.put(
                        "kafka node " + leader + " (leader) SIGKILL and restart",
                        awaitFlow("the kafka node", t0));
            }
            long t0 = System.nanoTime();
            stack.mqttBroker().restart();
            recoveries.put("mqtt broker restart", awaitFlow("the mqtt broker", t0));
            t0 = System.nanoTime();
            stack.restartConnect();
            recoveries.put("connect worker restart", awaitFlow("the connect worker", t0));
            t0 = System.nanoTime();
            stack.s3Server().stop();
            Thread.sleep(s3Outage.toMillis());
            stack.s3Server().restart();
            recoveries.put(
                    "s3 server down " + s3Outage.toSeconds() + " s (telemetry writes none)",
                    awaitFlow("the s3 server", t0));
        } finally {
            feeding.set(false);
            feed.join(TimeUnit.MINUTES.toMillis(1));
        }
        List<Fix> sent;
        synchronized (published) {
            sent = new ArrayList<>(published);
        }
        RaceFeed.Outcome kafka = RaceFeed.check(stack.settings().bootstrapServers(), sent);
        // Every committed SPEED must reach MQTT, at least once, always with the same payload.
        Map<String, String> committed = committedSpeeds();
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        while (!onMqtt.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        watcher.disconnect();
        watcher.close();
        int missing = 0;
        int duplicates = 0;
        int differing = 0;
        for (Map.Entry<String, String> speed : committed.entrySet()) {
            List<String> seen = onMqtt.getOrDefault(speed.getKey(), List.of());
            if (seen.isEmpty()) {
                missing++;
            }
            duplicates += Math.max(0, seen.size() - 1);
            differing += (int) seen.stream().filter(p -> !p.equals(speed.getValue())).count();
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

    /** Publishes the race at the rate until told to stop, reconnecting whenever the broker goes. */
    private void feed(String mqttUrl, RaceSimulation race) {
        Fix pending = null;
        long t0 = System.nanoTime();
        long sent = 0;
        while (feeding.get()) {
            try (MqttClient client =
                    new MqttClient(mqttUrl, "chaos-feed", new MemoryPersistence())) {
                MqttConnectOptions options = new MqttConnectOptions();
                options.setCleanSession(true);
                client.connect(options);
                try {
                    while (feeding.get()) {
                        if (pending == null) {
                            pending = race.next();
                        }
                        client.publish(TelemetryPipeline.MQTT_IN, FixJson.write(pending), 1, false);
                        synchronized (published) {
                            published.add(pending);
                        }
                        lastPublished.set(pending);
                        pending = null;
                        sent++;
                        long wait = t0 + sent * 1_000_000_000L / rate - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } finally {
                    if (client.isConnected()) {
                        client.disconnect();
                    }
                }
            } catch (MqttException brokerGone) {
                // Not acknowledged: the same fix again once the broker is back.
                pause(200);
                t0 = System.nanoTime();
                sent = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                (topic, message) -> {
                    String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                    JsonNode status = Json.mapper().readTree(payload);
                    if (status.path("type").asText().equals("SPEED")) {
                        onMqtt.computeIfAbsent(
                                        status.path("carIndex").asInt()
                                                + "@"
                                                + status.path("timestamp").asLong(),
                                        k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(payload);
                    }
                });
        return client;
    }

    /**
     * Milliseconds from {@code t0} until a fix published after now has its SPEED on MQTT: the
     * pipeline answers again, end to end.
     */
    private long awaitFlow(String after, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        Fix before = lastPublished.get();
        Fix probe = null;
        while (System.nanoTime() < deadline) {
            Fix last = lastPublished.get();
            // A car's first fix has no SPEED: probe with a fix once every car has had one.
            if (probe == null && last != null && last != before && publishedCount() > 60) {
                probe = last;
            }
            if (probe != null && onMqtt.containsKey(probe.carIndex() + "@" + probe.timestamp())) {
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

    /** The leader of the race's input partition (the input is keyed by MQTT topic). */
    private int inputLeader() throws Exception {
        String topic = TopicCatalog.TELEMETRY_CAR_COORDINATES.name();
        TopicDescription description =
                stack.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        int partition =
                Utils.toPositive(
                                Utils.murmur2(
                                        TelemetryPipeline.MQTT_IN.getBytes(StandardCharsets.UTF_8)))
                        % description.partitions().size();
        return description.partitions().get(partition).leader().id();
    }

    /** The SPEEDs committed to Kafka, {@code car@timestamp} to payload. */
    private Map<String, String> committedSpeeds() {
        Map<String, String> speeds = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                TopicReader.readSettled(
                        stack.settings().bootstrapServers(),
                        TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                        Duration.ofSeconds(60))) {
            String payload = new String(record.value(), StandardCharsets.UTF_8);
            JsonNode status;
            try {
                status = Json.mapper().readTree(payload);
            } catch (IOException e) {
                continue;
            }
            if (status.path("type").asText().equals("SPEED")) {
                speeds.put(
                        status.path("carIndex").asInt() + "@" + status.path("timestamp").asLong(),
                        payload);
            }
        }
        return speeds;
    }
}
