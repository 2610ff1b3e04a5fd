package dev.millrace.stack.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.audit.ArchiveKeys;
import dev.millrace.catalog.Buckets;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.TopicReader;
import dev.millrace.local.testing.Await;
import dev.millrace.pipeline.AuditPipeline;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The audit pipeline on the real local stack, observed from outside: records of 1 KiB, 900 KiB and
 * 5 MiB POSTed over HTTP end archived byte for byte at their key in S3, with their metadata
 * readable by GET and exactly one final state; every client error answers with its status as
 * problem+json; an idempotent retry stores nothing twice; records that cannot be archived are
 * salvaged whole and dead-lettered; and the workflow killed between the archive and its final state
 * ends, once restarted, with one final state.
 */
class AuditPipelineIT {
    private static final String KEY = "it-secret-key";
    private static final String BURST_KEY = "it-burst-key";
    private static final String DATE_TIME = "2026-11-23T10:15:30.250+01:00";
    private static final Duration WAIT = Duration.ofSeconds(60);

    static Path dir;
    static LocalStack stack;
    static LocalStackSettings settings;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("audit-it");
        settings =
                LocalStackSettings.onFreePorts(
                        dir,
                        Map.of(
                                "audit.api-keys",
                                "it:" + KEY + ",burst:" + BURST_KEY,
                                "audit.rate-limit",
                                "50"),
                        Map.of());
        stack = LocalStack.start(settings);
        Map<String, Health.Status> health = stack.awaitHealthy(Duration.ofMinutes(2));
        assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String body(String payloadJson) {
        return "{\"messageMetaData\": {\"messageType\": \"payment\", \"sourceSystemID\":"
                + " \"ledger\", \"sourceTransactionID\": \"tx-1\", \"dateTime\": \""
                + DATE_TIME
                + "\"}, \"messagePayload\": "
                + payloadJson
                + "}";
    }

    /** A request whose payload is the bytes, base64 as the API takes them. */
    static String binaryBody(byte[] payload) {
        return body("\"" + Base64.getEncoder().encodeToString(payload) + "\"");
    }

    static HttpResponse<String> post(String key, String body, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "audit-it")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String key, String messageId) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                        URI.create(settings.httpUrl() + "/v1/messages/" + messageId));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String accepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Json.mapper().readTree(response.body()).path("messageID").asText();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static List<JsonNode> valuesFor(String topic, String messageId, boolean committedOnly)
            throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(
                        settings.bootstrapServers(),
                        topic,
                        committedOnly
                                ? IsolationLevel.READ_COMMITTED
                                : IsolationLevel.READ_UNCOMMITTED)) {
            if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(messageId)) {
                values.add(Json.mapper().readTree(r.value()));
            }
        }
        return values;
    }

    static JsonNode awaitFinalState(String messageId) throws Exception {
        return Await.until(
                        "the final state of " + messageId,
                        WAIT,
                        () -> valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), messageId, true),
                        found -> !found.isEmpty())
                .get(0);
    }

    static byte[] archived(String bucket, String key) {
        return stack.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Archived at its key byte for byte, readable by GET, one final state, three events. */
    static void assertArchived(String messageId, byte[] payload, boolean claimCheck)
            throws Exception {
        JsonNode state = awaitFinalState(messageId);
        String key = ArchiveKeys.key(OffsetDateTime.parse(DATE_TIME), messageId);
        assertThat(key).startsWith("2026/11/23/09/15/30/");
        assertThat(state.at("/storageContext/S3Reference/bucket").asText())
                .isEqualTo(Buckets.AUDIT_ARCHIVE);
        assertThat(state.at("/storageContext/S3Reference/key").asText()).isEqualTo(key);
        assertThat(state.at("/storageContext/persistence/S3").asBoolean()).isTrue();
        assertThat(state.at("/storageContext/persistence/metaData").asBoolean()).isTrue();
        assertThat(archived(Buckets.AUDIT_ARCHIVE, key)).isEqualTo(payload);

        HttpResponse<String> read =
                Await.until(
                        "the metadata of " + messageId,
                        WAIT,
                        () -> get(KEY, messageId),
                        r -> r.statusCode() == 200);
        JsonNode metadata = Json.mapper().readTree(read.body());
        assertThat(metadata.get("messageID").asText()).isEqualTo(messageId);
        assertThat(metadata.at("/messageMetaData/dateTime").asText()).isEqualTo(DATE_TIME);
        assertThat(metadata.at("/messageSecurityContext/apiKeyId").asText()).isEqualTo("it");
        assertThat(metadata.at("/messageSecurityContext/userAgent").asText()).isEqualTo("audit-it");
        assertThat(metadata.at("/messageSecurityContext/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(metadata.at("/messageSecurityContext/payloadSha256").asText())
                .isEqualTo(sha256(payload));
        assertThat(metadata.get("storageContext")).isEqualTo(state.get("storageContext"));
        assertThat(metadata.at("/storageContext/metaDataReference/topic").asText())
                .isEqualTo(TopicCatalog.AUDIT_METADATA.name());
        assertThat(read.body()).doesNotContain(KEY);

        assertThat(
                        valuesFor(TopicCatalog.AUDIT_EVENTS.name(), messageId, true).stream()
                                .map(e -> e.get("event").asText()))
                .containsExactly(
                        "Data workflow started", "S3 Archive Completed", "Metadata persisted");
        if (claimCheck) {
            JsonNode record = valuesFor(TopicCatalog.AUDIT_MESSAGES.name(), messageId, true).get(0);
            String staged = record.at("/payload/s3/key").asText();
            assertThat(staged).isNotEmpty();
            Await.until(
                    "the staged payload removed",
                    WAIT,
                    () -> stagedExists(staged),
                    exists -> !exists);
        }
        assertThat(valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), messageId, true)).hasSize(1);
    }

    static boolean stagedExists(String key) {
        try {
            stack.s3().headObject(b -> b.bucket(Buckets.AUDIT_STAGING).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void recordsOfOneKibTo5MibEndArchivedWithMetadataAndOneFinalState() throws Exception {
        String json = "{\"note\":\"" + "x".repeat(1000) + "\"}";
        String small = accepted(post(KEY, body(json), null));
        byte[] medium = randomBytes(900 * 1024);
        String mediumId = accepted(post(KEY, binaryBody(medium), null));
        // 5 MiB as a JSON payload: base64 would take the body over the 6 MiB limit.
        String largeJson =
                "{\"ledger\":\"" + "0123456789abcdef".repeat(5 * 1024 * 1024 / 16) + "\"}";
        byte[] large = largeJson.getBytes(StandardCharsets.UTF_8);
        assertThat(large.length).isGreaterThan(5 * 1024 * 1024);
        String largeId = accepted(post(KEY, body(largeJson), null));

        assertArchived(small, json.getBytes(StandardCharsets.UTF_8), false);
        assertArchived(mediumId, medium, true);
        assertArchived(largeId, large, true);
    }

    @Test
    void anIdempotentRetryStoresNothingTwice() throws Exception {
        String first = accepted(post(KEY, body("{\"n\": 1}"), "order-7"));
        assertThat(accepted(post(KEY, body("{\"n\": 1}"), "order-7"))).isEqualTo(first);
        assertArchived(first, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), false);
        // Once persisted, the metadata answers the retry.
        assertThat(accepted(post(KEY, body("{\"n\": 1}"), "order-7"))).isEqualTo(first);
        assertProblem(post(KEY, body("{\"n\": 2}"), "order-7"), 422, "order-7");
        assertThat(accepted(post(KEY, body("{\"n\": 1}"), "order-8"))).isNotEqualTo(first);

        assertThat(valuesFor(TopicCatalog.AUDIT_MESSAGES.name(), first, true)).hasSize(1);
        assertThat(valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), first, true)).hasSize(1);
    }

    @Test
    void everyClientErrorHasItsStatusAsProblemJson() throws Exception {
        assertProblem(post(null, body("1"), null), 401, "x-api-key");
        assertProblem(post("wrong", body("1"), null), 401, "x-api-key");
        assertProblem(get(null, "0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e"), 401, "x-api-key");
        assertProblem(get(KEY, "0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e"), 404, "no metadata");
        assertProblem(post(KEY, "{\"messageMetaData\": ", null), 400, "malformed JSON");
        assertProblem(post(KEY, body("\"not base64!\""), null), 400, "must be base64");
        assertProblem(
                post(KEY, "{\"messagePayload\": 1}", null),
                400,
                "messageMetaData must be an object");
        assertProblem(
                // 8.4 MB of base64 (under audit.max-body) decodes to 6.3 MB, over 6 MiB.
                post(KEY, body("\"" + "A".repeat(8_400_000) + "\""), null),
                413,
                "audit.max-payload");
        int limited = 0;
        for (int i = 0; i < 200 && limited == 0; i++) {
            HttpResponse<String> response = get(BURST_KEY, "0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e");
            if (response.statusCode() == 429) {
                limited++;
                assertProblem(response, 429, "audit.rate-limit");
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            } else {
                assertThat(response.statusCode()).isEqualTo(404);
            }
        }
        // A refused upload still reads its answer, not a reset connection.
        assertProblem(
                post("wrong", body("\"" + "A".repeat(5 * 1024 * 1024) + "\""), null),
                401,
                "x-api-key");
        assertThat(limited).as("200 requests in a row against 50 a second").isPositive();
    }

    @Test
    void recordsThatCannotBeArchivedAreSalvagedWholeAndDeadLettered() throws Exception {
        String missingId = "7b0e5d1c-1111-4a7d-9c2f-5e4b3a2d1c0e";
        String missing =
                "{\"messageID\": \""
                        + missingId
                        + "\", \"messageMetaData\": {\"messageType\": \"payment\","
                        + " \"sourceSystemID\": \"ledger\", \"sourceTransactionID\": \"tx-9\","
                        + " \"dateTime\": \""
                        + DATE_TIME
                        + "\"}, \"messageSecurityContext\": {\"apiKeyId\": \"it\", \"sourceIp\":"
                        + " \"127.0.0.1\", \"userAgent\": \"\", \"receivedTime\":"
                        + " \"2026-11-23T09:15:31Z\", \"payloadSha256\": \""
                        + "0".repeat(64)
                        + "\"}, \"payload\": {\"s3\": {\"bucket\": \""
                        + Buckets.AUDIT_STAGING
                        + "\", \"key\": \"staging/never-written\"}, \"size\": 10,"
                        + " \"contentType\": \"application/octet-stream\"}}";
        byte[] garbage = "not an audit record".getBytes(StandardCharsets.UTF_8);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    TopicCatalog.AUDIT_MESSAGES.name(),
                                    missingId.getBytes(StandardCharsets.UTF_8),
                                    missing.getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(
                            new ProducerRecord<>(
                                    TopicCatalog.AUDIT_MESSAGES.name(),
                                    "garbage".getBytes(StandardCharsets.UTF_8),
                                    garbage))
                    .get();
        }

        // The claim check leads nowhere: salvaged, dead-lettered, and a final state saying so.
        JsonNode state = awaitFinalState(missingId);
        assertThat(state.at("/storageContext/persistence/S3").asBoolean()).isFalse();
        assertThat(state.at("/storageContext/S3Reference/bucket").asText())
                .isEqualTo(Buckets.AUDIT_FAILED);
        JsonNode salvaged =
                Json.mapper()
                        .readTree(
                                archived(
                                        Buckets.AUDIT_FAILED,
                                        state.at("/storageContext/S3Reference/key").asText()));
        assertThat(Base64.getDecoder().decode(salvaged.get("value").asText()))
                .isEqualTo(missing.getBytes(StandardCharsets.UTF_8));

        // Not even an audit record: salvaged whole and dead-lettered with the reason.
        List<ConsumerRecord<byte[], byte[]>> dead =
                Await.until(
                        "two dead letters",
                        WAIT,
                        () ->
                                TopicReader.readAll(
                                        settings.bootstrapServers(),
                                        TopicCatalog.AUDIT_DLQ.name(),
                                        IsolationLevel.READ_COMMITTED),
                        found -> found.size() >= 2);
        ConsumerRecord<byte[], byte[]> garbageLetter =
                dead.stream()
                        .filter(r -> java.util.Arrays.equals(r.value(), garbage))
                        .findFirst()
                        .orElseThrow();
        assertThat(header(garbageLetter, "__connect.errors.topic"))
                .isEqualTo(TopicCatalog.AUDIT_MESSAGES.name());
        assertThat(header(garbageLetter, "__connect.errors.exception.message")).isNotBlank();
        String garbageKey =
                TopicCatalog.AUDIT_MESSAGES.name()
                        + "/"
                        + header(garbageLetter, "__connect.errors.partition")
                        + "/"
                        + String.format(
                                "%020d",
                                Long.parseLong(header(garbageLetter, "__connect.errors.offset")));
        JsonNode envelope = Json.mapper().readTree(archived(Buckets.AUDIT_FAILED, garbageKey));
        assertThat(Base64.getDecoder().decode(envelope.get("value").asText())).isEqualTo(garbage);
        assertThat(envelope.get("reason").asText()).isNotBlank();
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * With the archive done and reported, the workflow runs in a child JVM that commits only every
     * 30 s, and is killed with SIGKILL once its final state is written, uncommitted. Restarted on
     * the same state directory (so the same transactional id fences the dead one), the workflow
     * ends the message with exactly one committed final state.
     */
    @Test
    void killedBetweenArchiveAndFinalStateItStillEndsWithOneFinalState() throws Exception {
        stack.streamsApps().stop(AuditPipeline.NAME);
        Path childDir = Files.createTempDirectory(dir, "child");
        Process child = null;
        try {
            byte[] payload = randomBytes(700 * 1024);
            String id = accepted(post(KEY, binaryBody(payload), null));
            Await.until(
                    "the archive report",
                    WAIT,
                    () -> valuesFor(TopicCatalog.AUDIT_ARCHIVE_RESULTS.name(), id, false),
                    found -> !found.isEmpty());
            assertThat(
                            archived(
                                    Buckets.AUDIT_ARCHIVE,
                                    ArchiveKeys.key(OffsetDateTime.parse(DATE_TIME), id)))
                    .isEqualTo(payload);
            assertThat(valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), id, false)).isEmpty();

            child = workflowInChildJvm(childDir);
            Await.until(
                    "the uncommitted final state",
                    WAIT,
                    () -> valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), id, false),
                    found -> !found.isEmpty());
            child.destroyForcibly().waitFor();
            assertThat(valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), id, true))
                    .as("nothing committed before the kill")
                    .isEmpty();

            child = workflowInChildJvm(childDir);
            awaitFinalState(id);
            assertThat(valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), id, true)).hasSize(1);
            assertThat(valuesFor(TopicCatalog.AUDIT_METADATA.name(), id, true)).hasSize(1);
            assertThat(
                            valuesFor(TopicCatalog.AUDIT_EVENTS.name(), id, true).stream()
                                    .map(e -> e.get("event").asText()))
                    .containsExactly(
                            "Data workflow started", "S3 Archive Completed", "Metadata persisted");
            // A clean stop commits and leaves the group, so the stack's instance takes over.
            child.destroy();
            child.waitFor();
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly().waitFor();
            }
            stack.streamsApps().start(new AuditPipeline().streamsApps(stack.context()).get(0));
        }
    }

    /** {@code millrace run audit}, committing every 30 s: longer than this test needs. */
    static Process workflowInChildJvm(Path childDir) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.millrace.cli.Main",
                        "run",
                        "audit",
                        "--data-dir",
                        childDir.toString(),
                        "-s",
                        "kafka.bootstrap-servers=" + settings.bootstrapServers(),
                        "-s",
                        "streams.commit-interval=30s",
                        "-s",
                        "kafka.client.transaction.timeout.ms=60000",
                        "-s",
                        "kafka.client.session.timeout.ms=6000")
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(childDir.resolve("out.log").toFile()))
                .start();
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).contains(detail);
    }
}
