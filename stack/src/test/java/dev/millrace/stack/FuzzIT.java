package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.deadletter.DeadLetter;
import dev.millrace.json.Json;
import dev.millrace.local.LocalMqtt;
import dev.millrace.local.Ports;
import dev.millrace.local.TopicReader;
import dev.millrace.local.testing.Await;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.services.http.Health;
import dev.millrace.telemetry.CarStatusJson;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceRecorder;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through every entry of the running stack: the corpus under {@code fuzz/} (one file a
 * case, placeholders filled in at run time) and generated cases (empty, deep nesting, binary junk,
 * oversize) go to MQTT {@code carCoordinates}, to the WIS2 topics of two upstream brokers, and to
 * the audit API. Each case must end in its pipeline's dead-letter topic with a reason, or get a 4xx
 * with a problem detail, while good traffic around them comes out exactly as without them and every
 * component stays UP. The outcome of every case is printed, with the counts per outcome.
 */
class FuzzIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String API_KEY = "fuzz-" + UUID.randomUUID();
    private static final String WIS2_TOPIC =
            "origin/a/wis2/xx-fuzz/data/core/weather/surface-based-observations/synop";
    private static final int GOOD_CARS = 4;

    @TempDir Path dir;

    /** One input, where it goes, and how to recognise what became of it. */
    private record Case(String entry, String name, byte[] payload, String marker, int car) {}

    @Test
    void everyBadInputIsAccountedForAndGoodTrafficIsUntouched() throws Exception {
        int portA = Ports.free();
        int portB = Ports.free();
        HttpServer data = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        data.createContext(
                "/",
                exchange -> {
                    byte[] body =
                            exchange.getRequestURI().getPath().startsWith("/good")
                                    ? "SYNOP".getBytes(StandardCharsets.UTF_8)
                                    : null;
                    exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : 5);
                    if (body != null) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                    exchange.close();
                });
        data.start();
        String dataUrl = "http://127.0.0.1:" + data.getAddress().getPort();
        Map<String, String> outcomes = new TreeMap<>();
        try (LocalMqtt brokerA = LocalMqtt.start(dir.resolve("broker-a"), "127.0.0.1", portA);
                LocalMqtt brokerB = LocalMqtt.start(dir.resolve("broker-b"), "127.0.0.1", portB)) {
            LocalStackSettings settings =
                    LocalStackSettings.onFreePorts(
                            dir.resolve("stack"),
                            Map.of(
                                    "wis2.upstream.urls",
                                    "tcp://127.0.0.1:" + portA + ",tcp://127.0.0.1:" + portB,
                                    "wis2.fetch.retries",
                                    "0",
                                    "wis2.fetch.timeout",
                                    "5s",
                                    "audit.api-keys",
                                    "fuzz:" + API_KEY),
                            Map.of());
            try (LocalStack stack = LocalStack.start(settings);
                    MqttClient cars = client(settings.mqttUrl(), "fuzz-cars");
                    MqttClient upstreamA = client("tcp://127.0.0.1:" + portA, "fuzz-gb-a");
                    MqttClient upstreamB = client("tcp://127.0.0.1:" + portB, "fuzz-gb-b")) {
                Map<String, Health.Status> health = stack.awaitHealthy(WAIT);
                assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);

                RaceSimulation simulation =
                        new RaceSimulation(
                                DemoTrack.TRACK, GOOD_CARS, 10, RaceSimulation.replayStart(), 31);
                List<Fix> good = new ArrayList<>();
                for (int i = 0; i < GOOD_CARS * 10 * 30; i++) {
                    good.add(simulation.next());
                }
                long raceTime = good.get(good.size() / 2).timestamp();
                Map<String, String> fill =
                        Map.of(
                                "${NOW}", String.valueOf(raceTime),
                                "${FUTURE}",
                                        String.valueOf(
                                                System.currentTimeMillis()
                                                        + Duration.ofDays(3650).toMillis()),
                                "${DATA}", dataUrl,
                                "${CLOSED}", String.valueOf(Ports.free()),
                                "${PUBTIME}", Instant.now().toString());
                List<Case> cases = cases(fill);

                // Good traffic before and after the bad, on the same topics and connections.
                List<String> goodWnms = new ArrayList<>();
                List<String> goodAudits = new ArrayList<>();
                for (int i = 0; i < good.size() / 2; i++) {
                    cars.publish(TelemetryPipeline.MQTT_IN, FixJson.write(good.get(i)), 1, false);
                }
                goodWnms.add(publishGoodWnm(upstreamA, dataUrl, fill));
                goodAudits.add(postGoodAudit(settings));
                int n = 0;
                for (Case c : cases) {
                    switch (c.entry()) {
                        case "telemetry" ->
                                cars.publish(TelemetryPipeline.MQTT_IN, c.payload(), 1, false);
                        case "wis2" ->
                                (n++ % 2 == 0 ? upstreamA : upstreamB)
                                        .publish(WIS2_TOPIC, c.payload(), 1, false);
                        default -> outcomes.put(key(c), post(settings, c));
                    }
                }
                for (int i = good.size() / 2; i < good.size(); i++) {
                    cars.publish(TelemetryPipeline.MQTT_IN, FixJson.write(good.get(i)), 1, false);
                }
                goodWnms.add(publishGoodWnm(upstreamB, dataUrl, fill));
                goodAudits.add(postGoodAudit(settings));

                String bootstrap = settings.bootstrapServers();
                // Good traffic: every SPEED of the good cars exactly as without the bad input,
                // every good WNM cached, every good audit record at its final state.
                List<byte[]> expectedSpeeds = speeds(settings, good);
                Await.until(
                        "the good cars' speeds",
                        WAIT,
                        () -> goodSpeeds(bootstrap).size() >= expectedSpeeds.size());
                assertThat(goodSpeeds(bootstrap))
                        .extracting(b -> new String(b, StandardCharsets.UTF_8))
                        .containsExactlyElementsOf(
                                expectedSpeeds.stream()
                                        .map(b -> new String(b, StandardCharsets.UTF_8))
                                        .toList());
                Await.until(
                        "the good WNMs cached",
                        WAIT,
                        () ->
                                goodWnms.stream()
                                        .allMatch(
                                                id ->
                                                        contains(
                                                                bootstrap,
                                                                TopicCatalog
                                                                        .WIS2_CACHE_NOTIFICATIONS
                                                                        .name(),
                                                                id)));
                Await.until(
                        "the good audit records at their final state",
                        WAIT,
                        () ->
                                goodAudits.stream()
                                        .allMatch(
                                                id ->
                                                        contains(
                                                                bootstrap,
                                                                TopicCatalog.AUDIT_FINAL_STATE
                                                                        .name(),
                                                                id)));

                // Bad traffic: each MQTT case dead-lettered with a reason, or accepted as what
                // it validly is; wait until every one is accounted for.
                Await.until(
                        "every case accounted for",
                        WAIT,
                        () -> {
                            classify(bootstrap, cases, outcomes);
                            return cases.stream().allMatch(c -> outcomes.containsKey(key(c)));
                        });
                health = stack.health().check();
                assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);
            }
        } finally {
            data.stop(0);
            report(outcomes);
        }
        assertThat(outcomes)
                .allSatisfy(
                        (name, outcome) ->
                                assertThat(outcome)
                                        .as(name)
                                        .matches(
                                                "(dead-lettered: .+|HTTP 4\\d\\d: .+|accepted:"
                                                        + " .+)"));
        assertThat(outcomes.entrySet())
                .filteredOn(e -> e.getValue().startsWith("accepted"))
                .extracting(Map.Entry::getKey)
                .as("the only cases taken as valid input")
                .containsExactlyInAnyOrder("wis2/pubtime-far-past.json");
    }

    /** A connected client that disconnects when closed. */
    private static MqttClient client(String url, String id) throws Exception {
        MqttClient client =
                new MqttClient(url, id, new MemoryPersistence()) {
                    @Override
                    public void close() throws MqttException {
                        if (isConnected()) {
                            disconnect();
                        }
                        super.close();
                    }
                };
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1_000);
        client.connect(options);
        return client;
    }

    private static String key(Case c) {
        return c.entry() + "/" + c.name();
    }

    // --- the cases -------------------------------------------------------------------------

    private static List<Case> cases(Map<String, String> fill) throws IOException {
        List<Case> cases = new ArrayList<>();
        int[] car = {100};
        for (String entry : List.of("telemetry", "wis2", "audit")) {
            for (String name : corpus(entry)) {
                String marker = UUID.randomUUID().toString();
                Map<String, String> values = new LinkedHashMap<>(fill);
                values.put("${MARKER}", marker);
                values.put("${CAR}", String.valueOf(car[0]));
                cases.add(
                        new Case(
                                entry,
                                name,
                                filled(read(entry + "/" + name), values),
                                marker,
                                car[0]++));
            }
            for (Map.Entry<String, byte[]> generated : generated(entry).entrySet()) {
                cases.add(new Case(entry, generated.getKey(), generated.getValue(), null, -1));
            }
        }
        return cases;
    }

    private static List<String> corpus(String entry) throws IOException {
        Path directory;
        try {
            directory = Path.of(FuzzIT.class.getResource("/fuzz/" + entry).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = FuzzIT.class.getResourceAsStream("/fuzz/" + resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The placeholders replaced, every other byte kept as it is (invalid UTF-8 included). */
    private static byte[] filled(byte[] template, Map<String, String> values) {
        String text = new String(template, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace(value.getKey(), value.getValue());
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Cases made here rather than kept: empty, whitespace, deep, random, oversize. */
    private static Map<String, byte[]> generated(String entry) {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("generated-empty", new byte[0]);
        cases.put("generated-whitespace", " \n\t ".getBytes(StandardCharsets.UTF_8));
        cases.put("generated-deep-nesting", deep(5_000));
        SplittableRandom random = new SplittableRandom(entry.hashCode());
        for (int i = 0; i < 3; i++) {
            byte[] junk = new byte[64 << (2 * i)];
            random.nextBytes(junk);
            cases.put("generated-binary-junk-" + junk.length, junk);
        }
        if (entry.equals("audit")) {
            String note = "x".repeat(200_000);
            cases.put(
                    "generated-oversize-metadata",
                    goodAuditBody("\"note\": \"" + note + "\", ").getBytes(StandardCharsets.UTF_8));
            cases.put("header-no-api-key", goodAuditBody("").getBytes(StandardCharsets.UTF_8));
            cases.put("header-wrong-api-key", goodAuditBody("").getBytes(StandardCharsets.UTF_8));
        }
        // Larger than a Kafka record may be (1 MiB), or than the audit API takes (9 MiB).
        int oversize = entry.equals("audit") ? 10 * 1024 * 1024 : 1536 * 1024;
        cases.put("generated-oversize", padded(oversize));
        return cases;
    }

    private static byte[] deep(int depth) {
        return ("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] padded(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        byte[] head = "{\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[size - 2] = '"';
        bytes[size - 1] = '}';
        return bytes;
    }

    // --- good traffic ------------------------------------------------------------------------

    private static String publishGoodWnm(
            MqttClient upstream, String dataUrl, Map<String, String> fill) throws Exception {
        String id = UUID.randomUUID().toString();
        String wnm =
                dev.millrace.wis2.WnmBuilder.notification(
                                id, "xx-fuzz/data/core/weather/good-" + id, fill.get("${PUBTIME}"))
                        .link("canonical", dataUrl + "/good-" + id + ".bufr4", "application/bufr")
                        .toString();
        upstream.publish(WIS2_TOPIC, wnm.getBytes(StandardCharsets.UTF_8), 1, false);
        return id;
    }

    /** A valid audit request, with {@code extra} metadata fields (each ending in a comma). */
    private static String goodAuditBody(String extra) {
        return "{\"messageMetaData\": {"
                + extra
                + "\"messageType\": \"payment\", \"sourceSystemID\": \"ledger\","
                + " \"sourceTransactionID\": \""
                + UUID.randomUUID()
                + "\", \"dateTime\": \"2026-03-15T09:41:07Z\"}, \"messagePayload\":"
                + " {\"amount\": 12.5}}";
    }

    private static String postGoodAudit(LocalStackSettings settings) throws Exception {
        String body = goodAuditBody("");
        HttpResponse<String> response =
                HTTP.send(
                        request(settings, body.getBytes(StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Json.mapper().readTree(response.body()).path("messageID").asText();
    }

    private static HttpRequest.Builder request(LocalStackSettings settings, byte[] body) {
        return request(settings, body, API_KEY);
    }

    private static HttpRequest.Builder request(
            LocalStackSettings settings, byte[] body, String apiKey) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/v1/messages"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return apiKey == null ? request : request.header("x-api-key", apiKey);
    }

    /** The audit API's answer to a case: a 4xx must come with a problem's detail. */
    private static String post(LocalStackSettings settings, Case c) throws Exception {
        HttpResponse<String> response;
        try {
            response =
                    HTTP.send(
                            request(
                                            settings,
                                            c.payload(),
                                            switch (c.name()) {
                                                case "header-no-api-key" -> null;
                                                case "header-wrong-api-key" -> API_KEY + "-wrong";
                                                default -> API_KEY;
                                            })
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return "connection failed: " + e;
        }
        String detail = "";
        try {
            detail = Json.mapper().readTree(response.body()).path("detail").asText();
        } catch (IOException e) {
            detail = "";
        }
        if (response.statusCode() >= 400 && response.statusCode() < 500 && !detail.isBlank()) {
            return "HTTP " + response.statusCode() + ": " + detail;
        }
        return "status " + response.statusCode() + ": " + response.body();
    }

    /** Every SPEED of the good cars, as the domain's race computes them from the good fixes. */
    private static List<byte[]> speeds(LocalStackSettings settings, List<Fix> good) {
        Race race = new Race(settings.telemetry());
        RaceRecorder recorder = new RaceRecorder();
        good.forEach(fix -> race.accept(fix, recorder));
        return recorder.speeds().stream().map(CarStatusJson::write).toList();
    }

    private static List<byte[]> goodSpeeds(String bootstrap) {
        return TopicReader.readSettled(
                        bootstrap, TopicCatalog.TELEMETRY_CAR_STATUS.name(), Duration.ofSeconds(30))
                .stream()
                .map(ConsumerRecord::value)
                .filter(
                        value -> {
                            JsonNode status = json(value);
                            return status.path("type").asText().equals("SPEED")
                                    && status.path("carIndex").asInt() < GOOD_CARS;
                        })
                .toList();
    }

    private static boolean contains(String bootstrap, String topic, String text) {
        return TopicReader.readSettled(bootstrap, topic, Duration.ofSeconds(30)).stream()
                .anyMatch(
                        r ->
                                r.value() != null
                                        && new String(r.value(), StandardCharsets.UTF_8)
                                                .contains(text));
    }

    private static JsonNode json(byte[] value) {
        try {
            return Json.mapper().readTree(value);
        } catch (IOException e) {
            return Json.mapper().missingNode();
        }
    }

    // --- outcomes ----------------------------------------------------------------------------

    /**
     * What became of each MQTT case: a dead letter holding its bytes (or, past the cache step, its
     * marker), or, for a fix, the car it names in the standings; for a WNM, its cache notification.
     */
    private static void classify(String bootstrap, List<Case> cases, Map<String, String> outcomes) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> letters = new LinkedHashMap<>();
        for (String entry : List.of("telemetry", "wis2")) {
            letters.put(
                    entry,
                    TopicReader.readSettled(
                            bootstrap,
                            entry.equals("telemetry")
                                    ? TopicCatalog.TELEMETRY_DLQ.name()
                                    : TopicCatalog.WIS2_DLQ.name(),
                            Duration.ofSeconds(30)));
        }
        List<ConsumerRecord<byte[], byte[]>> statuses =
                TopicReader.readSettled(
                        bootstrap,
                        TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                        Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> cached =
                TopicReader.readSettled(
                        bootstrap,
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                        Duration.ofSeconds(30));
        for (Case c : cases) {
            if (c.entry().equals("audit") || outcomes.containsKey(key(c))) {
                continue;
            }
            Function<ConsumerRecord<byte[], byte[]>, Boolean> mine = r -> holds(r.value(), c);
            for (ConsumerRecord<byte[], byte[]> letter : letters.get(c.entry())) {
                if (mine.apply(letter)) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    letter.headers()
                            .forEach(
                                    h ->
                                            headers.put(
                                                    h.key(),
                                                    new String(h.value(), StandardCharsets.UTF_8)));
                    String reason = DeadLetter.from(headers).reason();
                    if (reason != null && !reason.isBlank()) {
                        outcomes.put(key(c), "dead-lettered: " + reason);
                    }
                }
            }
            if (c.entry().equals("telemetry") && c.car() >= 0) {
                for (ConsumerRecord<byte[], byte[]> status : statuses) {
                    if (json(status.value()).path("carIndex").asInt() == c.car()) {
                        outcomes.put(key(c), "accepted: car " + c.car() + " joined the race");
                    }
                }
            }
            if (c.entry().equals("wis2") && c.marker() != null) {
                for (ConsumerRecord<byte[], byte[]> notification : cached) {
                    if (mine.apply(notification)) {
                        outcomes.put(key(c), "accepted: cached and announced");
                    }
                }
            }
        }
    }

    /**
     * Whether a record carries the case: its bytes, their first part (an oversize payload's dead
     * letter keeps only that), or its marker (past the cache step, a WNM is no longer its bytes).
     */
    private static boolean holds(byte[] value, Case c) {
        if (value == null || value.length == 0) {
            return c.payload().length == 0;
        }
        if (value.length <= c.payload().length
                && Arrays.equals(value, Arrays.copyOf(c.payload(), value.length))
                && (value.length == c.payload().length || value.length >= 1024)) {
            return true;
        }
        return c.marker() != null
                && new String(value, StandardCharsets.ISO_8859_1).contains(c.marker());
    }

    private static void report(Map<String, String> outcomes) {
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder text = new StringBuilder("fuzz outcomes\n");
        outcomes.forEach(
                (name, outcome) -> {
                    text.append(String.format("  %-45s %s%n", name, outcome));
                    String kind = outcome.replaceFirst(":.*", "");
                    counts.merge(
                            name.substring(0, name.indexOf('/')) + " " + kind, 1, Integer::sum);
                });
        text.append("counts per entry and outcome\n");
        counts.forEach((kind, count) -> text.append(String.format("  %-35s %d%n", kind, count)));
        System.out.print(text);
    }
}
