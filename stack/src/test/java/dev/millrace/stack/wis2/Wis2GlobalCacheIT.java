package dev.millrace.stack.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.json.Json;
import dev.millrace.local.LocalMqtt;
import dev.millrace.local.Ports;
import dev.millrace.local.testing.Await;
import dev.millrace.local.testing.Trust;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.stack.testing.Commands;
import dev.millrace.wis2.CacheNotifications;
import dev.millrace.wis2.Checksums;
import dev.millrace.wis2.WnmBuilder;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WMO Global Cache functional tests, on the real local stack with two upstream Global Brokers
 * and a data server, observed only as the tests observe a Global Cache: MQTT {@code
 * cache/a/wis2/#}, HTTP downloads of the hrefs, and {@code /metrics}.
 */
class Wis2GlobalCacheIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CENTRE = "zz-millrace-test-gc";
    private static final String ORIGIN =
            "origin/a/wis2/xx-wis2-node/data/core/weather/surface-based-observations/synop";

    static Path dir;
    static LocalMqtt brokerA;
    static LocalMqtt brokerB;
    static HttpServer dataServer;
    static LocalStack stack;
    static LocalStackSettings settings;
    static MqttClient publisherA;
    static MqttClient publisherB;
    static MqttClient subscriber;
    static HttpClient https;
    static final List<JsonNode> republished = Collections.synchronizedList(new ArrayList<>());
    static final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static final CountDownLatch released = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("wis2-it");
        int portA = Ports.free();
        int portB = Ports.free();
        brokerA = LocalMqtt.start(dir.resolve("broker-a"), "127.0.0.1", portA);
        brokerB = LocalMqtt.start(dir.resolve("broker-b"), "127.0.0.1", portB);
        dataServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dataServer.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    downloads.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    if (path.startsWith("/hang/")) {
                        // A data server that takes the connection and never answers.
                        try {
                            released.await(5, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        exchange.close();
                        return;
                    }
                    byte[] body = files.get(path);
                    if (body == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                    exchange.close();
                });
        dataServer.setExecutor(Executors.newCachedThreadPool());
        dataServer.start();

        settings =
                LocalStackSettings.onFreePorts(
                        dir.resolve("stack"),
                        Map.of(
                                "wis2.centre-id",
                                CENTRE,
                                "wis2.upstream.urls",
                                "tcp://127.0.0.1:" + portA + ",tcp://127.0.0.1:" + portB,
                                "wis2.fetch.retries",
                                "1",
                                "wis2.fetch.timeout",
                                "20s",
                                "http.tls-port",
                                String.valueOf(Ports.free())),
                        Map.of());
        stack = LocalStack.start(settings);
        Map<String, Health.Status> health = stack.awaitHealthy(Duration.ofMinutes(2));
        assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);

        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        // Subscribed as a Global Broker subscribes to a Global Cache: over TLS, as everyone.
        https = HttpClient.newBuilder().sslContext(Trust.context(stack.certificate())).build();
        subscriber = new MqttClient(settings.mqttTlsUrl(), "it-wis2-sub", new MemoryPersistence());
        subscriber.connect(everyone());
        subscriber.subscribe(
                "cache/a/wis2/#",
                1,
                (topic, message) -> republished.add(Json.mapper().readTree(message.getPayload())));
        publisherA = new MqttClient("tcp://127.0.0.1:" + portA, "it-gb-a", new MemoryPersistence());
        publisherA.connect(options);
        publisherB = new MqttClient("tcp://127.0.0.1:" + portB, "it-gb-b", new MemoryPersistence());
        publisherB.connect(options);
    }

    @AfterAll
    static void stop() throws Exception {
        released.countDown();
        for (MqttClient client : List.of(subscriber, publisherA, publisherB)) {
            if (client != null && client.isConnected()) {
                client.disconnect();
            }
        }
        if (stack != null) {
            stack.close();
        }
        if (dataServer != null) {
            dataServer.stop(0);
        }
        if (brokerA != null) {
            brokerA.close();
        }
        if (brokerB != null) {
            brokerB.close();
        }
    }

    /** A data file on the data server, with its sha512 in base64. */
    private static String serve(String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        files.put("/" + name, bytes);
        return Base64.getEncoder().encodeToString(Checksums.digest("sha512", bytes));
    }

    private static String href(String name) {
        return "http://127.0.0.1:" + dataServer.getAddress().getPort() + "/" + name;
    }

    private static String wnm(
            String id,
            String dataId,
            String pubtime,
            UnaryOperator<WnmBuilder> properties,
            String rel,
            String file) {
        return properties
                .apply(
                        WnmBuilder.notification(id, dataId, pubtime)
                                .datetime("2026-11-23T12:00:00Z")
                                .point(6.1, 46.2))
                .link(rel, href(file), "application/bufr")
                .toString();
    }

    private static UnaryOperator<WnmBuilder> integrity(String sha512) {
        return b -> b.integrity("sha512", sha512);
    }

    private static void publish(MqttClient broker, String json) throws Exception {
        broker.publish(ORIGIN, json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static List<JsonNode> republishedFor(String dataId) {
        synchronized (republished) {
            return republished.stream()
                    .filter(n -> n.at("/properties/data_id").asText().equals(dataId))
                    .toList();
        }
    }

    private static String metrics() throws Exception {
        return https.send(
                        HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double metric(String name) throws Exception {
        return metrics()
                .lines()
                .filter(
                        l ->
                                l.startsWith(name + "{")
                                        && l.contains("centre_id=\"xx-wis2-node\"")
                                        && l.contains("report_by=\"" + CENTRE + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> response =
                https.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void wnmProcessing() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/processing";
        String sha = serve("processing.bufr4", "SYNOP processing");
        String id = id();
        publish(
                publisherA,
                wnm(
                        id,
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "processing.bufr4"));

        Await.until("the cache notification", WAIT, () -> !republishedFor(dataId).isEmpty());
        JsonNode copy = republishedFor(dataId).get(0);
        assertThat(copy.path("id").asText())
                .isEqualTo(CacheNotifications.id(id, CENTRE).toString());
        assertThat(copy.at("/properties/global-cache").asText()).isEqualTo(CENTRE);
        assertThat(copy.at("/properties/pubtime").asText()).isEqualTo("2026-11-23T12:00:00Z");
        String cached = copy.at("/links/0/href").asText();
        assertThat(cached).startsWith(settings.http().tlsUrl() + "/wis2/cache/");
        assertThat(new String(get(cached), StandardCharsets.UTF_8)).isEqualTo("SYNOP processing");
    }

    @Test
    void cacheFalse() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/no-cache";
        serve("no-cache.bufr4", "not to be cached");
        double before = metric("wmo_wis2_gc_no_cache_total");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        b -> b.cache(false),
                        "canonical",
                        "no-cache.bufr4"));

        Await.until("the republished notification", WAIT, () -> !republishedFor(dataId).isEmpty());
        JsonNode copy = republishedFor(dataId).get(0);
        assertThat(copy.at("/links/0/href").asText()).isEqualTo(href("no-cache.bufr4"));
        assertThat(downloads.get("/no-cache.bufr4")).as("never downloaded").isNull();
        assertThat(metric("wmo_wis2_gc_no_cache_total")).isEqualTo(before + 1);
    }

    @Test
    void sourceDownloadFailure() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/missing";
        double before = metric("wmo_wis2_gc_downloaded_errors_total");
        publish(
                publisherA,
                wnm(id(), dataId, "2026-11-23T12:00:00Z", b -> b, "canonical", "missing.bufr4"));

        Await.until(
                "the failure counted",
                WAIT,
                () -> uncheckedMetric("wmo_wis2_gc_downloaded_errors_total") > before);
        assertThat(republishedFor(dataId)).isEmpty();
        assertThat(metrics())
                .contains(
                        "wmo_wis2_gc_dataserver_status_flag{centre_id=\"xx-wis2-node\",dataserver=\"127.0.0.1\"");
    }

    /**
     * A download that failed because its data server was not serving the file yet is dead-lettered
     * with the reason; once the file is there, {@code millrace dlq wis2 --redrive} runs the request
     * again and the data is cached and announced, and a second redrive sends nothing.
     */
    @Test
    void aFailedDownloadIsCachedAfterItsRedrive() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/late";
        String reason = "late.bufr4 answered HTTP 404";
        String pubtime = "2026-11-23T12:00:00Z";
        String id = id();
        publish(publisherA, wnm(id, dataId, pubtime, b -> b, "canonical", "late.bufr4"));

        Await.until(
                "the failed request dead-lettered",
                WAIT,
                () -> dlq("--reason", reason, "--json").out().lines().count() == 1);
        JsonNode letter = Json.mapper().readTree(dlq("--reason", reason, "--json").out().strip());
        assertThat(letter.path("sourceTopic").asText()).isEqualTo("wis2.fetch-requests");
        assertThat(republishedFor(dataId)).isEmpty();

        serve("late.bufr4", "SYNOP, late");
        assertThat(dlq("--reason", reason, "--redrive").out()).contains("redrove 1 dead letter(s)");
        Await.until("the cache notification", WAIT, () -> !republishedFor(dataId).isEmpty());
        JsonNode copy = republishedFor(dataId).get(0);
        assertThat(copy.path("id").asText())
                .isEqualTo(CacheNotifications.id(id, CENTRE).toString());
        assertThat(new String(get(copy.at("/links/0/href").asText()), StandardCharsets.UTF_8))
                .isEqualTo("SYNOP, late");

        assertThat(dlq("--reason", reason, "--redrive").out())
                .contains("redrove 0 dead letter(s)")
                .contains("1 already redriven");
    }

    private static Commands.Run dlq(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "dlq",
                                "wis2",
                                "--set",
                                "kafka.bootstrap-servers=" + settings.bootstrapServers()));
        all.addAll(List.of(args));
        Commands.Run run = Commands.run(all.toArray(String[]::new));
        assertThat(run.exit()).as(run.out()).isZero();
        return run;
    }

    @Test
    void integrityFailure() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/tampered";
        serve("tampered.bufr4", "the real data");
        String wrong = serve("other.bufr4", "other data");
        double before = metric("wmo_wis2_gc_integrity_failed_total");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(wrong),
                        "canonical",
                        "tampered.bufr4"));

        Await.until(
                "the integrity failure counted",
                WAIT,
                () -> uncheckedMetric("wmo_wis2_gc_integrity_failed_total") > before);
        assertThat(republishedFor(dataId)).isEmpty();
    }

    @Test
    void deduplication() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/dedupe";
        String sha = serve("dedupe.bufr4", "one copy");
        String message =
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "dedupe.bufr4");
        publish(publisherA, message);
        publish(publisherB, message);
        Await.until("the cache notification", WAIT, () -> !republishedFor(dataId).isEmpty());

        // A later update of the same data id is ordered after both copies in its partition:
        // once it is republished, every copy has been judged.
        String shaUpdate = serve("dedupe-v2.bufr4", "an update");
        publish(
                publisherB,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:30:00Z",
                        integrity(shaUpdate),
                        "update",
                        "dedupe-v2.bufr4"));
        Await.until("the update", WAIT, () -> republishedFor(dataId).size() >= 2);
        assertThat(republishedFor(dataId))
                .extracting(n -> n.at("/properties/pubtime").asText())
                .containsExactly("2026-11-23T12:00:00Z", "2026-11-23T12:30:00Z");
        assertThat(downloads.get("/dedupe.bufr4").get()).as("downloaded once").isEqualTo(1);
    }

    @Test
    void dedupeAlt1AFailedCopyDoesNotBlockAGoodOne() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/alt1";
        String sha = serve("alt1.bufr4", "alt 1 data");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "alt1-missing.bufr4"));
        String good = id();
        publish(
                publisherB,
                wnm(
                        good,
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "alt1.bufr4"));

        Await.until("the good copy cached", WAIT, () -> !republishedFor(dataId).isEmpty());
        JsonNode copy = republishedFor(dataId).get(0);
        assertThat(copy.path("id").asText())
                .isEqualTo(CacheNotifications.id(good, CENTRE).toString());
        assertThat(new String(get(copy.at("/links/0/href").asText()), StandardCharsets.UTF_8))
                .isEqualTo("alt 1 data");
    }

    @Test
    void dedupeAlt2ALaterPubtimeWithoutAnUpdateLinkIsNotCachedAgain() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/alt2";
        String sha = serve("alt2.bufr4", "alt 2 data");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "alt2.bufr4"));
        Await.until("the first copy cached", WAIT, () -> !republishedFor(dataId).isEmpty());
        publish(
                publisherB,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:10:00Z",
                        integrity(sha),
                        "canonical",
                        "alt2.bufr4"));
        String shaUpdate = serve("alt2-v3.bufr4", "alt 2 update");
        publish(
                publisherB,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:20:00Z",
                        integrity(shaUpdate),
                        "update",
                        "alt2-v3.bufr4"));
        Await.until("the update", WAIT, () -> republishedFor(dataId).size() >= 2);
        assertThat(republishedFor(dataId))
                .extracting(n -> n.at("/properties/pubtime").asText())
                .containsExactly("2026-11-23T12:00:00Z", "2026-11-23T12:20:00Z");
    }

    @Test
    void dataUpdate() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/update";
        String sha = serve("update.bufr4", "version 1");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "update.bufr4"));
        Await.until("version 1", WAIT, () -> !republishedFor(dataId).isEmpty());
        String sha2 = serve("update-v2.bufr4", "version 2");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T13:00:00Z",
                        integrity(sha2),
                        "update",
                        "update-v2.bufr4"));
        Await.until("version 2", WAIT, () -> republishedFor(dataId).size() >= 2);
        JsonNode second = republishedFor(dataId).get(1);
        assertThat(new String(get(second.at("/links/0/href").asText()), StandardCharsets.UTF_8))
                .isEqualTo("version 2");
        assertThat(second.at("/links/0/rel").asText()).isEqualTo("update");
    }

    @Test
    void metricsCarryTheCentreAndTheReporter() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/metrics";
        String sha = serve("metrics.bufr4", "metrics data");
        publish(
                publisherB,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "metrics.bufr4"));
        Await.until("the cache notification", WAIT, () -> !republishedFor(dataId).isEmpty());
        String text = metrics();
        for (String name :
                List.of(
                        "wmo_wis2_gc_downloaded_total",
                        "wmo_wis2_gc_last_download_timestamp_seconds",
                        "wmo_wis2_gc_dataserver_status_flag",
                        "wmo_wis2_gc_dataserver_last_download_timestamp_seconds")) {
            assertThat(text)
                    .containsPattern(
                            "(?m)^"
                                    + name
                                    + "\\{centre_id=\"xx-wis2-node\",(dataserver=\"127.0.0.1\",)?report_by=\""
                                    + CENTRE
                                    + "\"\\} ");
        }
        assertThat(metric("wmo_wis2_gc_downloaded_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void badInputNeverStopsThePipeline() throws Exception {
        publisherA.publish(ORIGIN, "not json at all".getBytes(StandardCharsets.UTF_8), 1, false);
        publish(
                publisherA,
                wnm(
                        "not-a-uuid",
                        "xx-wis2-node/data/core/weather/synop/bad",
                        "2026-11-23T12:00:00Z",
                        b -> b,
                        "canonical",
                        "bad.bufr4"));
        String dataId = "xx-wis2-node/data/core/weather/synop/after-bad";
        String sha = serve("after-bad.bufr4", "still running");
        publish(
                publisherA,
                wnm(
                        id(),
                        dataId,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "after-bad.bufr4"));
        Await.until("the next good notification", WAIT, () -> !republishedFor(dataId).isEmpty());
    }

    /**
     * The WMO dedupe case (five copies of a notification, 500 ms apart) repeated 25 times,
     * overlapping, while other notifications stream in and some of them point at a data server that
     * never answers: each case is republished exactly once, and soon. A cache worker that commits
     * its requests in batches holds every request of a batch behind its slowest download (here 2 ×
     * 20 s), so a case's download is counted long before its notification appears.
     */
    @Test
    void theDedupeCaseRepeatedUnderLoadIsRepublishedOnceEachTime() throws Exception {
        int cases = 25;
        String pubtime = "2026-11-23T13:00:00Z";
        AtomicInteger load = new AtomicInteger();
        Thread background =
                new Thread(
                        () -> {
                            try {
                                while (!Thread.currentThread().isInterrupted()) {
                                    int n = load.incrementAndGet();
                                    String name = "load-" + n + ".bufr4";
                                    String sha = serve(name, "load " + n);
                                    String file = n % 20 == 0 ? "hang/" + name : name;
                                    publish(
                                            publisherA,
                                            wnm(
                                                    id(),
                                                    "xx-wis2-node/data/core/weather/synop/load-"
                                                            + n,
                                                    pubtime,
                                                    integrity(sha),
                                                    "canonical",
                                                    file));
                                    Thread.sleep(100);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "wis2-load");
        background.start();
        ScheduledExecutorService copies = Executors.newScheduledThreadPool(2);
        Map<String, Long> firstCopy = new ConcurrentHashMap<>();
        try {
            for (int c = 0; c < cases; c++) {
                String dataId = "xx-wis2-node/data/core/weather/synop/repeat-" + c;
                String file = "repeat-" + c + ".bufr4";
                String sha = serve(file, "case " + c);
                long start = (long) c * 700;
                for (int copy = 0; copy < 5; copy++) {
                    String message = wnm(id(), dataId, pubtime, integrity(sha), "canonical", file);
                    MqttClient broker = copy % 2 == 0 ? publisherA : publisherB;
                    copies.schedule(
                            () -> {
                                firstCopy.putIfAbsent(dataId, System.nanoTime());
                                publish(broker, message);
                                return null;
                            },
                            start + copy * 500L,
                            TimeUnit.MILLISECONDS);
                }
            }
            for (int c = 0; c < cases; c++) {
                String dataId = "xx-wis2-node/data/core/weather/synop/repeat-" + c;
                Await.until(
                        "case " + c + " republished",
                        Duration.ofSeconds(60),
                        () -> !republishedFor(dataId).isEmpty());
                assertThat(Duration.ofNanos(System.nanoTime() - firstCopy.get(dataId)))
                        .as("case %d: first copy to cache notification", c)
                        .isLessThan(Duration.ofSeconds(15));
            }
            // Every copy of the last case was published by now; give the copies of each case the
            // time to be judged (their data ids' later requests were all seen and dropped).
            copies.shutdown();
            assertThat(copies.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            String lastId = "xx-wis2-node/data/core/weather/synop/repeat-" + (cases - 1);
            publish(
                    publisherB,
                    wnm(
                            id(),
                            lastId,
                            "2026-11-23T13:30:00Z",
                            integrity(serve("repeat-last-v2.bufr4", "v2")),
                            "update",
                            "repeat-last-v2.bufr4"));
            Await.until("the closing update", WAIT, () -> republishedFor(lastId).size() >= 2);
            for (int c = 0; c < cases; c++) {
                String dataId = "xx-wis2-node/data/core/weather/synop/repeat-" + c;
                assertThat(
                                republishedFor(dataId).stream()
                                        .filter(
                                                n ->
                                                        n.at("/properties/pubtime")
                                                                .asText()
                                                                .equals(pubtime)))
                        .as("case %d republished once", c)
                        .hasSize(1);
                assertThat(downloads.get("/repeat-" + c + ".bufr4").get())
                        .as("case %d downloaded once", c)
                        .isEqualTo(1);
            }
        } finally {
            background.interrupt();
            background.join();
            copies.shutdownNow();
        }
        assertThat(load.get()).as("notifications of the load").isGreaterThan(50);
    }

    private static MqttConnectOptions everyone() throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName("everyone");
        options.setPassword("everyone".toCharArray());
        options.setSocketFactory(Trust.socketFactory(stack.certificate()));
        return options;
    }

    @Test
    void noClientCanPassForTheCache() throws Exception {
        String dataId = "xx-wis2-node/data/core/weather/synop/forged";
        String forged =
                wnm(id(), dataId, "2026-11-23T12:00:00Z", b -> b, "canonical", "forged.bufr4");
        String topic = ORIGIN.replaceFirst("origin", "cache");
        try (MqttClient anonymous =
                new MqttClient(settings.mqttUrl(), "it-forger", new MemoryPersistence())) {
            anonymous.connect();
            try {
                anonymous.publish(topic, forged.getBytes(StandardCharsets.UTF_8), 1, false);
            } catch (MqttException refused) {
                // MQTT 3.1.1 refuses a publication by closing the connection.
            }
        }
        try (MqttClient reader =
                new MqttClient(settings.mqttTlsUrl(), "it-reader", new MemoryPersistence())) {
            reader.connect(everyone());
            try {
                reader.publish(topic, forged.getBytes(StandardCharsets.UTF_8), 1, false);
            } catch (MqttException refused) {
                // As above.
            }
        }
        try (MqttClient anonymousTls =
                new MqttClient(settings.mqttTlsUrl(), "it-anonymous", new MemoryPersistence())) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(Trust.socketFactory(stack.certificate()));
            assertThatThrownBy(() -> anonymousTls.connect(options))
                    .isInstanceOf(MqttSecurityException.class);
        }

        // A genuine notification published after the forgeries arrives; the forgeries never do.
        String genuine = "xx-wis2-node/data/core/weather/synop/genuine";
        String sha = serve("genuine.bufr4", "genuine");
        publish(
                publisherA,
                wnm(
                        id(),
                        genuine,
                        "2026-11-23T12:00:00Z",
                        integrity(sha),
                        "canonical",
                        "genuine.bufr4"));
        Await.until("the genuine notification", WAIT, () -> !republishedFor(genuine).isEmpty());
        assertThat(republishedFor(dataId)).isEmpty();
    }

    private static double uncheckedMetric(String name) {
        try {
            return metric(name);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
