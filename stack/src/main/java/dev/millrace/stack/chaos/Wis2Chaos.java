package dev.millrace.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.dlq.DeadLetterQueue;
import dev.millrace.json.Json;
import dev.millrace.local.TopicReader;
import dev.millrace.pipeline.Wis2Pipeline;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.wis2.DataServer;
import dev.millrace.stack.wis2.UpstreamBrokers;
import dev.millrace.wis2.Wis2Settings;
import dev.millrace.wis2.WnmBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The wis2 pipeline's side of a chaos run: unique notifications, each published on two upstream
 * Global Brokers, their data on a WIS2 node's data server that also fails a while; a cache
 * notification on {@code cache/a/wis2/...} as the answer. What the cache step dead-lettered while
 * S3 or the data server was down is redriven at the end, as an operator would; then every
 * notification must have exactly one cache notification in Kafka, its data served by the cache byte
 * for byte, and its cache notification on MQTT at least once.
 */
final class Wis2Chaos implements PipelineChaos {
    private static final String TOPIC =
            "origin/a/wis2/xx-chaos/data/core/weather/surface-based-observations/synop";
    private static final String DATA_ID = "xx-chaos/data/core/weather/synop/";
    private static final int OBJECT_BYTES = 4096;

    private final int rate;
    private final Duration dataOutage;
    private final Acknowledged<String> sent = new Acknowledged<>();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private final List<String> notes = new ArrayList<>();
    private UpstreamBrokers upstream;
    private DataServer dataServer;
    private Thread feed;
    private MqttWatch watch;

    Wis2Chaos(int rate, Duration dataOutage) {
        this.rate = rate;
        this.dataOutage = dataOutage;
    }

    @Override
    public String pipeline() {
        return Wis2Pipeline.NAME;
    }

    /** The data of the {@code n}th notification: its own bytes, the same each time. */
    private static byte[] data(long n) {
        byte[] bytes = new byte[OBJECT_BYTES];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    /** The data behind a path of the data server, {@code <n>.bin}. */
    private static byte[] served(String path) {
        if (!path.endsWith(".bin")) {
            return null;
        }
        try {
            return data(Long.parseLong(path.substring(0, path.length() - 4)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Map<String, String> prepare(Path dir) throws Exception {
        upstream = UpstreamBrokers.start(dir, 2);
        dataServer = new DataServer(Wis2Chaos::served, Duration.ZERO);
        return Map.of(Wis2Settings.UPSTREAM_URLS.name(), String.join(",", upstream.urls()));
    }

    @Override
    public void start(LocalStack stack) throws Exception {
        watch =
                new MqttWatch(
                        stack.settings().mqttUrl(),
                        "chaos-watch",
                        Wis2Pipeline.MQTT_CACHE,
                        Wis2Chaos::dataId);
        List<MqttClient> brokers = new ArrayList<>();
        for (String url : upstream.urls()) {
            MqttClient client =
                    new MqttClient(url, "chaos-gb-" + brokers.size(), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            brokers.add(client);
        }
        feed = new Thread(() -> publish(brokers), "chaos-feed");
        feed.start();
    }

    /** Publishes each notification on every upstream broker at the rate, QoS 1, until stopped. */
    private void publish(List<MqttClient> brokers) {
        long t0 = System.nanoTime();
        try {
            for (long n = 0; feeding.get(); n++) {
                String dataId = DATA_ID + n;
                Instant pubtime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                byte[] data = data(n);
                byte[] wnm =
                        WnmBuilder.notification(
                                        UUID.randomUUID().toString(), dataId, pubtime.toString())
                                .metadataId("urn:wmo:md:xx-chaos:synop")
                                .integrityOf("sha256", data)
                                .link(
                                        "canonical",
                                        dataServer.url(n + ".bin"),
                                        "application/octet-stream",
                                        data.length)
                                .bytes();
                for (MqttClient broker : brokers) {
                    broker.publish(TOPIC, wnm, 1, false);
                }
                sent.add(dataId);
                long wait = t0 + (n + 1) * 1_000_000_000L / rate - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (Exception e) {
            if (feeding.get()) {
                throw new IllegalStateException("an upstream broker refused a notification", e);
            }
        } finally {
            for (MqttClient broker : brokers) {
                try {
                    broker.disconnect();
                    broker.close();
                } catch (Exception ignored) {
                    // Closing anyway.
                }
            }
        }
    }

    /** The data_id of a cache notification. */
    private static Optional<String> dataId(byte[] notification) {
        try {
            String id = Json.mapper().readTree(notification).at("/properties/data_id").asText("");
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public int sent() {
        return sent.size();
    }

    @Override
    public BooleanSupplier answeredAfter(int sentBefore) {
        String probe = sent.lastAfter(sentBefore);
        return probe == null ? null : () -> watch.received(probe);
    }

    @Override
    public TopicPartitionInfo inputPartition(Admin admin) throws Exception {
        return PipelineChaos.firstPartition(admin, TopicCatalog.WIS2_NOTIFICATIONS.name());
    }

    @Override
    public boolean usesMqtt() {
        return true;
    }

    @Override
    public Map<String, Fault> faults() {
        Map<String, Fault> faults = new LinkedHashMap<>();
        faults.put(
                "data server answers 503 for " + dataOutage.toSeconds() + " s",
                () -> {
                    dataServer.failing(true);
                    Thread.sleep(dataOutage.toMillis());
                    dataServer.failing(false);
                });
        return faults;
    }

    @Override
    public void stop() throws InterruptedException {
        feeding.set(false);
        feed.join(TimeUnit.MINUTES.toMillis(1));
    }

    @Override
    public Verdict verify(LocalStack stack) throws Exception {
        List<String> expected = sent.snapshot();
        redriveUntilCached(stack, expected);
        String bootstrap = stack.settings().bootstrapServers();

        Map<String, Integer> inputs = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readSettled(
                        bootstrap, TopicCatalog.WIS2_NOTIFICATIONS.name(), Duration.ofMinutes(1))) {
            inputs.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        long inputsLost = expected.stream().filter(id -> !inputs.containsKey(id)).count();
        long inputCopies = inputs.values().stream().mapToLong(c -> Math.max(0, c - 2)).sum();

        Map<String, byte[]> committed = new HashMap<>();
        long twice = 0;
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readSettled(
                        bootstrap,
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                        Duration.ofMinutes(1))) {
            Optional<String> id = dataId(r.value());
            if (id.isPresent() && committed.put(id.get(), r.value()) != null) {
                twice++;
            }
        }
        long cached = expected.stream().filter(committed::containsKey).count();
        long servedRight = servedRight(committed);
        MqttWatch.Outcome mqtt = watch.compare(committed);
        notes.add(mqtt.note());
        notes.add(
                "each notification was published on both upstream brokers; the input row counts"
                        + " copies beyond those two as duplicated");
        notes.add(
                "objects are stored under one key per data_id, so a repeated store cannot be"
                        + " told from the first: the cache row counts what the cache serves");
        boolean passed =
                inputsLost == 0
                        && cached == expected.size()
                        && twice == 0
                        && committed.size() == expected.size()
                        && servedRight == committed.size()
                        && mqtt.missing() == 0
                        && mqtt.differing() == 0;
        return new Verdict(
                List.of(
                        new Row(
                                "WNMs in (at least once)",
                                String.valueOf(expected.size()),
                                expected.size(),
                                expected.size() - inputsLost,
                                inputsLost,
                                inputCopies),
                        new Row(
                                "cache notifs in Kafka (once)",
                                "",
                                expected.size(),
                                cached,
                                expected.size() - cached,
                                twice),
                        new Row(
                                "data served by the cache",
                                "",
                                committed.size(),
                                servedRight,
                                committed.size() - servedRight,
                                0),
                        mqtt.row("cache notifs on MQTT (1+)")),
                notes,
                passed);
    }

    /**
     * What failed for a transient reason (S3 or the data server down) waits in the dead letters:
     * redrives it, and again for what fails on the way, until every notification sent is cached or
     * the recovery limit passes.
     */
    private void redriveUntilCached(LocalStack stack, List<String> expected)
            throws InterruptedException {
        DeadLetterQueue dlq = new DeadLetterQueue(stack.settings().kafka(), Wis2Pipeline.NAME);
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int redriven = 0;
        long deadline = System.nanoTime() + ChaosRun.RECOVERY_LIMIT.toNanos();
        while (System.nanoTime() < deadline && !expected.stream().allMatch(watch::received)) {
            for (DeadLetterQueue.Entry entry : dlq.read()) {
                if (seen.add(entry.id())) {
                    reasons.merge(reason(entry), 1, Integer::sum);
                }
            }
            redriven += dlq.redrive(DeadLetterQueue.Entry::redrivable).redriven();
            Thread.sleep(2_000);
        }
        notes.add(
                seen.size()
                        + " dead letters during the run, "
                        + redriven
                        + " redriven at the end"
                        + (reasons.isEmpty() ? "" : ": " + reasons));
    }

    /**
     * A dead letter's reason with its URLs, paths and attempt counts left out, so that alike
     * reasons group.
     */
    private static String reason(DeadLetterQueue.Entry entry) {
        return String.valueOf(entry.letter().reason())
                .replaceAll("\\S*/\\S*", "…")
                .replaceAll(" \\(SDK Attempt Count: \\d+\\)", "");
    }

    /** How many cache notifications point at the cache's copy of exactly their data. */
    private static long servedRight(Map<String, byte[]> committed) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long right = 0;
        for (byte[] notification : committed.values()) {
            JsonNode json = Json.mapper().readTree(notification);
            String dataId = json.at("/properties/data_id").asText();
            String href = "";
            for (JsonNode link : json.path("links")) {
                if (link.path("rel").asText().equals("canonical")) {
                    href = link.path("href").asText();
                }
            }
            if (href.isEmpty()) {
                continue;
            }
            HttpResponse<byte[]> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(href)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            long n = Long.parseLong(dataId.substring(DATA_ID.length()));
            if (response.statusCode() == 200 && Arrays.equals(response.body(), data(n))) {
                right++;
            }
        }
        return right;
    }

    @Override
    public void close() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (dataServer != null) {
            dataServer.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }
}
