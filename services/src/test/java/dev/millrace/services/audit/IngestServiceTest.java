package dev.millrace.services.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.audit.AuditRequest;
import dev.millrace.audit.AuditSettings;
import dev.millrace.audit.MessageIds;
import dev.millrace.audit.SecurityContext;
import dev.millrace.config.Config;
import dev.millrace.json.Json;
import dev.millrace.services.http.Health;
import dev.millrace.services.http.HttpApi;
import dev.millrace.services.http.HttpSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest's answers that need no working Kafka: with no broker to acknowledge the record it
 * answers 503 within audit.ack-timeout and acknowledges nothing; wrong paths and methods are
 * refused; reads and idempotent retries are answered from the metadata alone. It is served by the
 * stack's HTTP server, as in production.
 */
class IngestServiceTest {
    private static final String BODY =
            "{\"messageMetaData\": {\"messageType\": \"payment\", \"sourceSystemID\": \"ledger\","
                    + " \"sourceTransactionID\": \"tx-1\", \"dateTime\": \"2026-11-23T10:15:30Z\"},"
                    + " \"messagePayload\": {\"amount\": 1}}";

    private static final String LOADING = "11111111-1111-1111-1111-111111111111";

    private final Map<String, JsonNode> persisted = new HashMap<>();
    private HttpApi server;
    private final Health health = new Health();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KafkaProducer<byte[], byte[]> producer;
    private S3Client s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + deadPort);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        s3 =
                S3Client.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(AnonymousCredentialsProvider.create())
                        .endpointOverride(URI.create("http://127.0.0.1:" + deadPort))
                        .build();
        serve(Map.of(), producer);
    }

    /** Serves the ingest with these settings over the test's own, writing with {@code to}. */
    private void serve(Map<String, String> settingsOverTheTests, Producer<byte[], byte[]> to)
            throws Exception {
        if (server != null) {
            server.close();
        }
        Map<String, String> flags = new HashMap<>();
        flags.put("audit.api-keys", "t:k");
        flags.put("audit.rate-limit", "100");
        flags.put("audit.ack-timeout", "500ms");
        flags.put("audit.inline-max", "16MiB");
        flags.put("audit.staging-bucket", "staging");
        flags.put("audit.archive-bucket", "archive");
        flags.put("audit.failure-bucket", "failed");
        flags.putAll(settingsOverTheTests);
        AuditSettings settings =
                AuditSettings.from(Config.builder(AuditSettings.KEYS).flags(flags).build());
        IngestService handler =
                new IngestService(
                        settings,
                        to,
                        s3,
                        "audit.messages",
                        id -> {
                            if (id.equals(LOADING)) {
                                throw new IllegalStateException("the metadata store is loading");
                            }
                            return Optional.ofNullable(persisted.get(id));
                        },
                        // Fixed: the rate limit's buckets never refill during a test.
                        Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC));
        server =
                new HttpApi(
                        new HttpSettings(
                                "127.0.0.1",
                                0,
                                0,
                                HttpSettings.from(Config.builder(HttpSettings.KEYS).build())
                                        .limits()),
                        null,
                        health,
                        registry);
        server.route(IngestService.PATH, handler);
        IngestService.SAMPLE_PATHS.forEach(path -> server.route(path, handler));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        health.close();
        registry.close();
        producer.close(Duration.ZERO);
        s3.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void withoutAnAcknowledgementWithinTheTimeoutItAnswers503() throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages"))
                                .header("x-api-key", "k")
                                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("detail").asText())
                .contains("audit.ack-timeout", "nothing was stored");
        assertThat(response.body()).doesNotContain("messageID");
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/v1/messages")).GET()).statusCode())
                .isEqualTo(405);
        HttpResponse<String> post =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages/x"))
                                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
        assertThat(send(HttpRequest.newBuilder(uri("/v1/messages/x/y")).GET()).statusCode())
                .isEqualTo(404);
    }

    private HttpResponse<String> get(String id, String key) throws Exception {
        return send(
                HttpRequest.newBuilder(uri("/v1/messages/" + id)).header("x-api-key", key).GET());
    }

    @Test
    void readsAnswerFromTheMetadata() throws Exception {
        JsonNode metadata =
                Json.mapper()
                        .readTree(
                                "{\"messageID\": \"m-1\", \"storageContext\":"
                                        + " {\"persistence\": {\"S3\": true}}}");
        persisted.put("m-1", metadata);

        HttpResponse<String> found = get("m-1", "k");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(found.body())).isEqualTo(metadata);
        assertThat(get("m-2", "k").statusCode()).isEqualTo(404);
        assertThat(get("m-1", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> loading = get(LOADING, "k");
        assertThat(loading.statusCode()).isEqualTo(503);
        assertThat(loading.body()).contains("loading");
    }

    @Test
    void aRetryOfAPersistedRequestGetsItsIdWithoutASecondWrite() throws Exception {
        String id = MessageIds.forRequest("t", "order-7").toString();
        AuditRequest request = AuditRequest.parse(BODY.getBytes(), 1024 * 1024);
        JsonNode metadata =
                Json.mapper()
                        .createObjectNode()
                        .put("messageID", id)
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "messageMetaData", request.metaData())
                        .set(
                                "messageSecurityContext",
                                Json.mapper()
                                        .createObjectNode()
                                        .put(
                                                "payloadSha256",
                                                SecurityContext.sha256Hex(request.payload())));
        persisted.put(id, metadata);

        // The producer has no broker: a write would answer 503, so a 202 proves none was tried.
        HttpResponse<String> retry =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages"))
                                .header("x-api-key", "k")
                                .header("Idempotency-Key", "order-7")
                                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(Json.mapper().readTree(retry.body()).get("messageID").asText()).isEqualTo(id);

        HttpResponse<String> otherBody =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages"))
                                .header("x-api-key", "k")
                                .header("Idempotency-Key", "order-7")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                BODY.replace("\"amount\": 1", "\"amount\": 2"))));
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(otherBody.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        assertThat(otherBody.body()).contains("order-7").doesNotContain("\"messageID\"");
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return send(request);
    }

    /** A body with a binary payload of {@code size} bytes, base64 in 76-character lines. */
    private static String binaryBody(int size) {
        String base64 = Base64.getMimeEncoder().encodeToString(new byte[size]);
        return BODY.replace("{\"amount\": 1}", "\"" + base64.replace("\r\n", "\\r\\n") + "\"");
    }

    @Test
    void aFiveMebibytePayloadAsWrappedBase64IsAcceptedAndOverTheLimitIs413() throws Exception {
        MockProducer<byte[], byte[]> kafka =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        serve(Map.of(), kafka);

        HttpResponse<String> fiveMiB = post("/v1/messages", "k", binaryBody(5 * 1024 * 1024));
        assertThat(fiveMiB.statusCode()).as(fiveMiB.body()).isEqualTo(202);
        assertThat(
                        Json.mapper()
                                .readTree(kafka.history().get(0).value())
                                .at("/payload/size")
                                .asLong())
                .isEqualTo(5 * 1024 * 1024);

        HttpResponse<String> over = post("/v1/messages", "k", binaryBody(6 * 1024 * 1024 + 1));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(Json.mapper().readTree(over.body()).path("detail").asText())
                .isEqualTo(
                        "the payload is 6291457 bytes decoded, over audit.max-payload (6291456"
                                + " bytes)");
        assertThat(kafka.history()).hasSize(1);
    }

    /** As the AWS sample's API Gateway answers its clients. */
    @Test
    void withTheAwsSamplesCompatibilityItAnswersAsTheSamplesApi() throws Exception {
        MockProducer<byte[], byte[]> kafka =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        serve(Map.of("audit.compat", "aws-sample", "audit.rate-limit", "2"), kafka);

        HttpResponse<String> accepted = post("/ingestMessage", "k", BODY);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).matches("\\{\"messageID\": \"[0-9a-f-]{36}\"\\}");
        assertThat(accepted.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(accepted.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        JsonNode record = Json.mapper().readTree(kafka.history().get(0).value());
        assertThat(
                        record.at(
                                        "/messageSecurityContext/requestContext/requestContext/httpMethod")
                                .asText())
                .isEqualTo("POST");
        assertThat(
                        record.at(
                                        "/messageSecurityContext/requestContext/requestContext/identity/apiKeyId")
                                .asText())
                .isEqualTo("t");
        assertThat(record.at("/messageSecurityContext/requestContext/AWSRequestID").asText())
                .isEqualTo(
                        record.at("/messageSecurityContext/requestContext/requestContext/requestId")
                                .asText());

        HttpResponse<String> noKey = post("/ingestMessage", null, BODY);
        assertThat(noKey.statusCode()).isEqualTo(403);
        assertThat(noKey.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(post("/ingestMessage", "wrong", BODY).body())
                .isEqualTo("{\"message\":\"Forbidden\"}");

        HttpResponse<String> unknown = post("/elsewhere", "k", BODY);
        assertThat(unknown.statusCode()).as("not served at all").isEqualTo(404);
        HttpResponse<String> wrongMethod =
                send(HttpRequest.newBuilder(uri("/ingestMessage")).header("x-api-key", "k").GET());
        assertThat(wrongMethod.statusCode()).isEqualTo(403);
        assertThat(wrongMethod.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");

        HttpResponse<String> tooLong = post("/ingestMessage", "k", binaryBody(7 * 1024 * 1024));
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(tooLong.body()).isEqualTo("{\"message\":\"Request Too Long\"}");

        HttpResponse<String> throttled = post("/ingestMessage", "k", BODY);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
    }

    @Test
    void browsersFromAConfiguredOriginMayCallItAndNoOtherMay() throws Exception {
        serve(Map.of("audit.cors-origins", "https://console.example.org"), producer);

        HttpResponse<String> preflight =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages"))
                                .header("Origin", "https://console.example.org")
                                .header("Access-Control-Request-Method", "POST")
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("https://console.example.org");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .contains("POST, OPTIONS");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("x-api-key", "Idempotency-Key", "Content-Type");

        HttpResponse<String> elsewhere =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages"))
                                .header("Origin", "https://evil.example.org")
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> refused =
                send(
                        HttpRequest.newBuilder(uri("/v1/messages/x"))
                                .header("Origin", "https://console.example.org")
                                .GET());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                .as("a browser may read the refusal")
                .contains("https://console.example.org");
    }
}
