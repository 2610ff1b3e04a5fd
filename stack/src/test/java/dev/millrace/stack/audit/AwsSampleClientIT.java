package dev.millrace.stack.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.Buckets;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.TopicReader;
import dev.millrace.local.testing.Await;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS large-audit-record sample's clients against the stack with {@code
 * audit.compat=aws-sample}: its test client's request (the sample's test message as Python's {@code
 * requests} sends it, to the sample's resource) is answered 200 with the sample's body, and what
 * the sample's consumers read (metadata, final state, notices) carries the sample's fields beside
 * millrace's.
 */
class AwsSampleClientIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY = "sample-client-key";
    private static Path dir;
    private static LocalStack stack;
    private static LocalStackSettings settings;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("aws-sample-it");
        settings =
                LocalStackSettings.onFreePorts(
                        dir,
                        Map.of("audit.api-keys", "sample:" + KEY, "audit.compat", "aws-sample"),
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

    /**
     * The sample's test message, re-serialised as {@code requests.post(json=...)} does (Python's
     * {@code json.dumps} separators), with a 2.2 MB binary payload like its TIFF.
     */
    private static String sampleTestMessage(byte[] payload) {
        return "{\"messageMetaData\": {\"messageType\": \"imageB64\", \"sourceSystemID\":"
                + " \"IngestMessageJavaClient\", \"sourceTransactionID\":"
                + " \"18a9838c-356c-4653-a983-8c356c86535f\", \"dateTime\": \"2021-07-03"
                + " 16:21:12.357246\"}, \"messagePayload\": \""
                + Base64.getEncoder().encodeToString(payload)
                + "\"}";
    }

    @Test
    void theSamplesTestClientSucceedsAndItsConsumersReadTheSamplesShapes() throws Exception {
        byte[] payload = new byte[2_225_380];
        new Random(7).nextBytes(payload);
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/ingestMessage"))
                                .header("x-api-key", KEY)
                                .header("User-Agent", "python-requests/2.28.1")
                                .header("Accept", "*/*")
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                sampleTestMessage(payload)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        // What the test client checks and prints.
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("messageID");
        String id = body.path("messageID").asText();

        JsonNode finalState =
                Await.until(
                                "the final state",
                                WAIT,
                                () -> valuesFor(TopicCatalog.AUDIT_FINAL_STATE.name(), id),
                                found -> !found.isEmpty())
                        .get(0);
        String archiveKey = "2021/07/03/16/21/12/" + id;
        assertThat(finalState.at("/storageContext/S3Reference/key").asText()).isEqualTo(archiveKey);
        assertThat(
                        stack.s3()
                                .getObjectAsBytes(
                                        b -> b.bucket(Buckets.AUDIT_ARCHIVE).key(archiveKey))
                                .asByteArray())
                .isEqualTo(payload);
        assertThat(finalState.at("/storageContext/metaDataReference/dynamoDbTableName").asText())
                .isEqualTo(TopicCatalog.AUDIT_METADATA.name());
        assertThat(finalState.at("/storageContext/metaDataReference/primaryKey").asText())
                .isEqualTo(id);
        assertThat(finalState.at("/storageContext/redisReference/key").asText())
                .as("the claim check the payload waited at")
                .isEqualTo("staging/" + id);
        assertThat(finalState.path("state").path("S3Persisted").asBoolean()).isTrue();
        assertThat(finalState.path("state").path("metaDataPersisted").asBoolean()).isTrue();
        JsonNode context = finalState.at("/messageSecurityContext/requestContext");
        assertThat(context.at("/requestContext/identity/userAgent").asText())
                .isEqualTo("python-requests/2.28.1");
        assertThat(context.at("/requestContext/identity/apiKeyId").asText()).isEqualTo("sample");
        assertThat(context.at("/requestContext/path").asText()).isEqualTo("/ingestMessage");

        List<JsonNode> notices =
                Await.until(
                        "the four notices",
                        WAIT,
                        () -> valuesFor(TopicCatalog.AUDIT_EVENTS.name(), id),
                        found -> found.size() >= 4);
        assertThat(notices).hasSize(4);
        assertThat(notices.subList(0, 3))
                .extracting(n -> n.path("message").asText())
                .containsExactly(
                        "Data workflow started",
                        "S3 Archive Completed",
                        "Meta Data arcghive completed");
        assertThat(notices.get(3).path("storageContext"))
                .isEqualTo(finalState.path("storageContext"));
        assertThat(notices.get(3).path("messageMetaData"))
                .isEqualTo(finalState.path("messageMetaData"));

        HttpResponse<String> wrongKey =
                http.send(
                        HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/ingestMessage"))
                                .header("x-api-key", "not-a-key")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                sampleTestMessage(payload)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(wrongKey.statusCode()).isEqualTo(403);
        assertThat(wrongKey.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    private static List<JsonNode> valuesFor(String topic, String messageId) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(
                        settings.bootstrapServers(), topic, IsolationLevel.READ_COMMITTED)) {
            if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(messageId)) {
                values.add(Json.mapper().readTree(r.value()));
            }
        }
        return values;
    }
}
