package dev.millrace.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.Buckets;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.Settings;
import dev.millrace.cli.http.Health;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.json.Json;
import dev.millrace.local.LocalStack;
import dev.millrace.local.LocalStackSettings;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/messages} on the real local stack: records of 1 KiB, 900 KiB and 5 MiB are
 * acknowledged only once in Kafka, large ones through an S3 claim check, byte for byte; every
 * client error answers with its status as problem+json; an idempotent retry gets the same id.
 */
class AuditIngestIT {
    private static final String KEY = "it-secret-key";
    private static final String BURST_KEY = "it-burst-key";

    static Path dir;
    static LocalStack stack;
    static LocalStackSettings settings;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("audit-it");
        Map<String, String> flags = LocalStackSettings.freePorts();
        flags.put(CommonSettings.DATA_DIR.name(), dir.toString());
        flags.put("audit.api-keys", "it:" + KEY + ",burst:" + BURST_KEY);
        flags.put("audit.rate-limit", "5");
        settings = LocalStackSettings.from(Config.builder(Settings.ALL).flags(flags).build());
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

    private static String body(String payloadJson) {
        return "{\"messageMetaData\": {\"messageType\": \"payment\", \"sourceSystemID\":"
                + " \"ledger\", \"sourceTransactionID\": \"tx-1\", \"dateTime\":"
                + " \"2026-11-23T10:15:30Z\"}, \"messagePayload\": "
                + payloadJson
                + "}";
    }

    private static HttpResponse<String> post(String key, String body, String idempotencyKey)
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

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** The committed record of a message id on audit.messages. */
    private static JsonNode record(String messageId) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = TopicCatalog.AUDIT_MESSAGES.name();
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<JsonNode> found = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(r.key(), StandardCharsets.UTF_8).equals(messageId)) {
                        found.add(Json.mapper().readTree(r.value()));
                    }
                }
            }
            assertThat(found).as("records of " + messageId).isNotEmpty();
            return found.get(0);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aOneKibJsonRecordIsAcceptedInline() throws Exception {
        String payload = "{\"note\": \"" + "x".repeat(1000) + "\"}";
        HttpResponse<String> response = post(KEY, body(payload), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = Json.mapper().readTree(response.body()).path("messageID").asText();
        JsonNode record = record(id);
        byte[] inline = Base64.getDecoder().decode(record.at("/payload/inline").asText());
        assertThat(new String(inline, StandardCharsets.UTF_8))
                .isEqualTo(Json.mapper().readTree(payload).toString());
        assertThat(record.at("/messageSecurityContext/apiKeyId").asText()).isEqualTo("it");
        assertThat(record.at("/messageSecurityContext/userAgent").asText()).isEqualTo("audit-it");
        assertThat(record.at("/messageSecurityContext/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(record.at("/messageSecurityContext/payloadSha256").asText())
                .isEqualTo(sha256(inline));
        assertThat(record.toString()).doesNotContain(KEY);
    }

    @Test
    void largeRecordsGoThroughAnS3ClaimCheckByteForByte() throws Exception {
        for (int size : new int[] {900 * 1024, 3 * 1024 * 1024 + 700 * 1024}) {
            byte[] payload = randomBytes(size);
            String requestBody = body("\"" + Base64.getEncoder().encodeToString(payload) + "\"");
            HttpResponse<String> response = post(KEY, requestBody, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String id = Json.mapper().readTree(response.body()).path("messageID").asText();
            JsonNode record = record(id);
            assertThat(record.at("/payload/inline").isMissingNode()).isTrue();
            assertThat(record.at("/payload/size").asInt()).isEqualTo(size);
            byte[] stored =
                    stack.s3()
                            .getObjectAsBytes(
                                    b ->
                                            b.bucket(Buckets.AUDIT_STAGING)
                                                    .key(record.at("/payload/s3/key").asText()))
                            .asByteArray();
            assertThat(stored).isEqualTo(payload);
            assertThat(requestBody.length())
                    .as("the larger one is a 5 MiB record")
                    .isLessThanOrEqualTo(6 * 1024 * 1024);
        }
    }

    @Test
    void anIdempotentRetryGetsTheSameMessageId() throws Exception {
        String first = post(KEY, body("{\"n\": 1}"), "order-7").body();
        String again = post(KEY, body("{\"n\": 1}"), "order-7").body();
        assertThat(again).isEqualTo(first);
        assertThat(post(KEY, body("{\"n\": 1}"), "order-8").body()).isNotEqualTo(first);
    }

    @Test
    void everyClientErrorHasItsStatusAsProblemJson() throws Exception {
        assertProblem(post(null, body("1"), null), 401, "x-api-key");
        assertProblem(post("wrong", body("1"), null), 401, "x-api-key");
        assertProblem(post(KEY, "{\"messageMetaData\": ", null), 400, "malformed JSON");
        assertProblem(post(KEY, body("\"not base64!\""), null), 400, "must be base64");
        assertProblem(
                post(KEY, "{\"messagePayload\": 1}", null),
                400,
                "messageMetaData must be an object");
        assertProblem(
                post(KEY, body("\"" + "A".repeat(7 * 1024 * 1024) + "\""), null),
                413,
                "audit.max-body");
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = post(BURST_KEY, body("{\"i\": " + i + "}"), null);
            if (response.statusCode() == 429) {
                limited++;
                assertProblem(response, 429, "audit.rate-limit");
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            } else {
                assertThat(response.statusCode()).isEqualTo(202);
            }
        }
        assertThat(limited).as("30 requests in a row against 5 a second").isPositive();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).contains(detail);
    }
}
