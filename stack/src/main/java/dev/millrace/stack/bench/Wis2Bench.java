package dev.millrace.stack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import dev.millrace.pipeline.Wis2Pipeline;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.stack.wis2.DataServer;
import dev.millrace.wis2.Checksums;
import dev.millrace.wis2.WnmBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Measures the Global Cache end to end on a stack of its own: unique notifications published on two
 * upstream brokers at a steady rate, their data (85 kB) served by a data server that answers after
 * 200 ms, and each cache notification on {@code cache/a/wis2/#} matched to its source; then a flood
 * of five copies of each message from the two brokers, to show deduplication.
 */
public final class Wis2Bench implements AutoCloseable {
    private static final int OBJECT_BYTES = 85 * 1024;
    private static final long SERVER_DELAY_MS = 200;
    private static final Duration QUIET = Duration.ofSeconds(60);
    private static final String TOPIC =
            "origin/a/wis2/xx-bench/data/core/weather/surface-based-observations/synop";

    /** What one run measured. */
    public record Result(
            int ratePerMinute,
            int published,
            int cached,
            double processedPerMinute,
            double p50Ms,
            double p99Ms,
            int floodMessages,
            int floodCopies,
            int floodCached,
            double floodCopiesPerMinute) {

        public String json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("pipeline", "wis2");
            o.put("ratePerMinute", ratePerMinute);
            o.put("published", published);
            o.put("cached", cached);
            o.put("processedPerMinute", Math.round(processedPerMinute));
            o.put("pubtimeToRepublishP50Ms", Math.round(p50Ms));
            o.put("pubtimeToRepublishP99Ms", Math.round(p99Ms));
            o.put("floodMessages", floodMessages);
            o.put("floodCopies", floodCopies);
            o.put("floodCached", floodCached);
            o.put("floodCopiesPerMinute", Math.round(floodCopiesPerMinute));
            return o.toString();
        }
    }

    /** A steady run: unique notifications at {@code ratePerMinute}. */
    public record Steady(
            int ratePerMinute,
            int published,
            int cached,
            double processedPerMinute,
            double p50Ms,
            double p99Ms) {}

    /** A dedupe flood: {@code messages} published five times each from the two brokers. */
    public record Flood(
            int messages, int copies, int cached, int republished, double copiesPerMinute) {}

    private final DataServer dataServer;
    private final byte[] object;
    private final String objectSha;

    /**
     * Asynchronous: a QoS 1 publish that waited for its PUBACK would hold the offered rate to one
     * round trip per message.
     */
    private final MqttAsyncClient[] publishers;

    private final MqttClient subscriber;
    private final Map<String, Long> republishedAt = new ConcurrentHashMap<>();
    private final AtomicInteger republishedCount = new AtomicInteger();
    private final PrintStream progress;
    private int runs;

    public Wis2Bench(LocalStackSettings stack, List<String> upstreamUrls, PrintStream progress)
            throws IOException, MqttException {
        this.progress = progress;
        this.object = new byte[OBJECT_BYTES];
        new java.util.Random(85).nextBytes(object);
        this.objectSha = Base64.getEncoder().encodeToString(Checksums.digest("sha256", object));
        dataServer = new DataServer(path -> object, Duration.ofMillis(SERVER_DELAY_MS));
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(10_000);
        publishers = new MqttAsyncClient[upstreamUrls.size()];
        for (int i = 0; i < publishers.length; i++) {
            publishers[i] =
                    new MqttAsyncClient(
                            upstreamUrls.get(i), "bench-gb-" + i, new MemoryPersistence());
            publishers[i].connect(options).waitForCompletion();
        }
        subscriber =
                new MqttClient(stack.mqttUrl(), "bench-wis2-subscriber", new MemoryPersistence());
        subscriber.connect(options);
        subscriber.subscribe(
                Wis2Pipeline.MQTT_CACHE,
                1,
                (topic, message) -> {
                    long now = System.currentTimeMillis();
                    JsonNode json = Json.mapper().readTree(message.getPayload());
                    republishedCount.incrementAndGet();
                    republishedAt.putIfAbsent(json.at("/properties/data_id").asText(), now);
                });
    }

    public Result run(int ratePerMinute, int seconds, int floodMessages) throws Exception {
        Steady steady = steady(ratePerMinute, seconds);
        Flood flood = flood(floodMessages);
        return new Result(
                ratePerMinute,
                steady.published(),
                steady.cached(),
                steady.processedPerMinute(),
                steady.p50Ms(),
                steady.p99Ms(),
                flood.messages(),
                flood.copies(),
                flood.republished(),
                flood.copiesPerMinute());
    }

    /**
     * Unique messages at a steady rate for {@code seconds}, alternating brokers, each under a
     * data_id of its own run: the stack remembers what it cached, so each run's data is new to it.
     */
    public Steady steady(int ratePerMinute, int seconds) throws Exception {
        int run = runs++;
        int total = ratePerMinute * seconds / 60;
        Map<String, Long> pubtimes = new ConcurrentHashMap<>();
        Progress bar =
                new Progress(progress, String.format("%,d/min         ", ratePerMinute), total);
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.MINUTES.toNanos(1) / ratePerMinute;
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String dataId = "xx-bench/data/core/weather/synop/rate-" + run + "-" + i;
            Instant pubtime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            pubtimes.put(dataId, pubtime.toEpochMilli());
            publish(i, wnm(UUID.randomUUID().toString(), dataId, pubtime));
            if (i % 50 == 0) {
                bar.update(i);
            }
        }
        double offeredPerMinute = total * 60e9 / Math.max(1, System.nanoTime() - start);
        awaitCached(pubtimes.keySet());
        long lastRepublish =
                pubtimes.keySet().stream()
                        .mapToLong(id -> republishedAt.getOrDefault(id, 0L))
                        .max()
                        .orElse(0);
        long firstPublish = pubtimes.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long[] latencies =
                pubtimes.entrySet().stream()
                        .filter(e -> republishedAt.containsKey(e.getKey()))
                        .mapToLong(e -> republishedAt.get(e.getKey()) - e.getValue())
                        .sorted()
                        .toArray();
        int cached = latencies.length;
        double perMinute = cached * 60_000.0 / Math.max(1, lastRepublish - firstPublish);
        bar.done(
                String.format(
                        "%d of %d cached, %,.0f a minute (published at %,.0f a minute)",
                        cached, total, perMinute, offeredPerMinute));
        return new Steady(
                ratePerMinute,
                total,
                cached,
                perMinute,
                Percentiles.of(latencies, 0.50),
                Percentiles.of(latencies, 0.99));
    }

    /** Five copies of each of {@code floodMessages}, three from one broker, two from the other. */
    public Flood flood(int floodMessages) throws Exception {
        int run = runs++;
        Progress flood = new Progress(progress, "dedupe flood    ", floodMessages);
        List<String> floodIds = new ArrayList<>();
        int before = republishedCount.get();
        long floodStart = System.currentTimeMillis();
        for (int i = 0; i < floodMessages; i++) {
            String dataId = "xx-bench/data/core/weather/synop/flood-" + run + "-" + i;
            floodIds.add(dataId);
            byte[] message =
                    wnm(
                            UUID.randomUUID().toString(),
                            dataId,
                            Instant.now().truncatedTo(ChronoUnit.MILLIS));
            for (int copy = 0; copy < 5; copy++) {
                publish(copy, message);
            }
            if (i % 50 == 0) {
                flood.update(i);
            }
        }
        awaitCached(floodIds);
        long floodEnd =
                floodIds.stream()
                        .mapToLong(id -> republishedAt.getOrDefault(id, 0L))
                        .max()
                        .orElse(floodStart);
        int floodCached = (int) floodIds.stream().filter(republishedAt::containsKey).count();
        double copiesPerMinute = floodMessages * 5 * 60_000.0 / Math.max(1, floodEnd - floodStart);
        flood.done(
                String.format(
                        "%d copies, %d republished (%d extra), %,.0f copies a minute",
                        floodMessages * 5,
                        republishedCount.get() - before,
                        republishedCount.get() - before - floodCached,
                        copiesPerMinute));
        return new Flood(
                floodMessages,
                floodMessages * 5,
                floodCached,
                republishedCount.get() - before,
                copiesPerMinute);
    }

    /**
     * Publishes on one of the brokers, {@code n} picking which, acknowledged in the background; a
     * message lost on the way shows as not cached.
     */
    private void publish(int n, byte[] message) throws MqttException {
        publishers[n % publishers.length].publish(TOPIC, message, 1, false);
    }

    /**
     * Waits until every one of {@code dataIds} is republished, or until nothing has been for {@link
     * #QUIET}: a backlog is waited for as long as it drains, a stalled cache is not.
     */
    private void awaitCached(java.util.Collection<String> dataIds) throws InterruptedException {
        int seen = republishedCount.get();
        long lastChange = System.nanoTime();
        while (!republishedAt.keySet().containsAll(dataIds)) {
            int now = republishedCount.get();
            if (now != seen) {
                seen = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > QUIET.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private byte[] wnm(String id, String dataId, Instant pubtime) {
        return WnmBuilder.notification(id, dataId, pubtime.toString())
                .metadataId("urn:wmo:md:xx-bench:synop")
                .datetime(pubtime.truncatedTo(ChronoUnit.MINUTES).toString())
                .point(6.1, 46.2)
                .integrity("sha256", objectSha)
                .link(
                        "canonical",
                        dataServer.url(dataId.substring(dataId.lastIndexOf('/') + 1) + ".bufr4"),
                        "application/bufr",
                        OBJECT_BYTES)
                .bytes();
    }

    @Override
    public void close() throws MqttException {
        for (MqttAsyncClient client : publishers) {
            if (client != null && client.isConnected()) {
                client.disconnect().waitForCompletion();
            }
        }
        subscriber.disconnect();
        dataServer.close();
    }
}
