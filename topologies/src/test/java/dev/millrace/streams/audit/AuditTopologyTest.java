package dev.millrace.streams.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import dev.millrace.schemas.Schemas;
import dev.millrace.streams.TopologyHarness;
import dev.millrace.streams.internal.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit workflow on the production topology, both arrival orders and every refusal. */
class AuditTopologyTest {
    private static final AuditTopology.Topics TOPICS = AuditTopology.Topics.CATALOG;
    private static final String ID = "0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e";
    private static final String SHA =
            "a45a854737728e308a43692d8e9e02f95685b26fb00da7a1bed2a773b73b7f11";
    private static final String KEY = "2026/03/15/09/41/07/" + ID;

    @TempDir Path stateDir;
    private TopologyHarness harness;
    private TestInputTopic<byte[], byte[]> messages;
    private TestInputTopic<byte[], byte[]> results;
    private TestOutputTopic<byte[], byte[]> metadata;
    private TestOutputTopic<byte[], byte[]> finalStates;
    private TestOutputTopic<byte[], byte[]> events;
    private Instant clock = TopologyHarness.START;

    @BeforeEach
    void start() {
        harness =
                new TopologyHarness(
                        new AuditTopology(Duration.ofDays(7), false).build(),
                        stateDir,
                        TOPICS.deadLetters());
        var driver = harness.driver();
        var bytes = new ByteArraySerializer();
        messages = driver.createInputTopic(TOPICS.messages(), bytes, bytes);
        results = driver.createInputTopic(TOPICS.archiveResults(), bytes, bytes);
        var out = new ByteArrayDeserializer();
        metadata = driver.createOutputTopic(TOPICS.metadata(), out, out);
        finalStates = driver.createOutputTopic(TOPICS.finalState(), out, out);
        events = driver.createOutputTopic(TOPICS.events(), out, out);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    static String message(String id, String sha) {
        return """
        {"messageID": "%s",
         "messageMetaData": {"messageType": "PaymentAuthorised", "sourceSystemID": "payments",
                             "sourceTransactionID": "txn-1", "dateTime": "2026-03-15T09:41:07.512Z"},
         "messageSecurityContext": {"apiKeyId": "payments", "sourceIp": "10.20.3.17",
                                    "userAgent": "curl/8.7.1",
                                    "receivedTime": "2026-03-15T09:41:07.640Z",
                                    "payloadSha256": "%s"},
         "payload": {"inline": "eyJhIjoxfQ==", "contentType": "application/json", "size": 7}}
        """
                .formatted(id, sha);
    }

    static String archived(String id, String key, String at) {
        return """
        {"topic": "audit.messages", "partition": 0, "offset": 0, "bucket": "millrace-audit-archive",
         "key": "%s", "size": 7, "status": "archived", "timestamp": "%s"}
        """
                .formatted(key, at);
    }

    private void send(TestInputTopic<byte[], byte[]> topic, String key, String json) {
        clock = clock.plusMillis(100);
        topic.pipeInput(
                new TestRecord<>(
                        key.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8),
                        clock));
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> eventTexts() {
        return events.readValuesToList().stream().map(v -> json(v).get("event").asText()).toList();
    }

    @Test
    void archiveThenMetadataThenOneFinalState() {
        send(messages, ID, message(ID, SHA));
        assertThat(finalStates.isEmpty()).isTrue();
        send(results, ID, archived(ID, KEY, "2026-01-01T00:00:00.150Z"));

        List<TestRecord<byte[], byte[]>> persisted = metadata.readRecordsToList();
        assertThat(persisted).hasSize(1);
        assertThat(new String(persisted.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(ID);
        JsonNode meta = json(persisted.get(0).value());
        assertThat(Schemas.get("audit/metadata").validate(meta)).isEmpty();
        assertThat(meta.at("/storageContext/S3Reference/key").asText()).isEqualTo(KEY);
        assertThat(meta.at("/storageContext/metaDataReference/topic").asText())
                .isEqualTo(TOPICS.metadata());
        assertThat(meta.at("/messageSecurityContext/payloadSha256").asText()).isEqualTo(SHA);

        List<byte[]> states = finalStates.readValuesToList();
        assertThat(states).hasSize(1);
        JsonNode state = json(states.get(0));
        assertThat(Schemas.get("audit/final-state").validate(state)).isEmpty();
        assertThat(state.at("/storageContext/persistence/S3").asBoolean()).isTrue();
        assertThat(state.at("/storageContext/persistence/metaData").asBoolean()).isTrue();

        List<TestRecord<byte[], byte[]>> progress = events.readRecordsToList();
        assertThat(progress.stream().map(r -> json(r.value()).get("event").asText()))
                .containsExactly(
                        "Data workflow started", "S3 Archive Completed", "Metadata persisted");
        assertThat(progress.stream().map(r -> json(r.value()).get("timestamp").asText()))
                .containsExactly(
                        "2026-01-01T00:00:00.100Z",
                        "2026-01-01T00:00:00.150Z",
                        "2026-01-01T00:00:00.200Z");
        progress.forEach(
                r -> assertThat(Schemas.get("audit/event").validate(json(r.value()))).isEmpty());
    }

    @Test
    void archiveReportedBeforeTheRecordStillEndsOnce() {
        send(results, ID, archived(ID, KEY, "2026-01-01T00:00:00.050Z"));
        assertThat(events.isEmpty()).isTrue();
        send(messages, ID, message(ID, SHA));

        assertThat(eventTexts())
                .containsExactly(
                        "Data workflow started", "S3 Archive Completed", "Metadata persisted");
        assertThat(metadata.readValuesToList()).hasSize(1);
        assertThat(finalStates.readValuesToList()).hasSize(1);
    }

    @Test
    void redeliveredArchiveReportsAndRetriedRecordsChangeNothing() {
        send(messages, ID, message(ID, SHA));
        send(results, ID, archived(ID, KEY, "2026-01-01T00:00:00.150Z"));
        send(results, ID, archived(ID, KEY, "2026-01-01T00:00:00.300Z"));
        send(messages, ID, message(ID, SHA));
        send(results, ID, archived(ID, KEY, "2026-01-01T00:00:00.500Z"));

        assertThat(finalStates.readValuesToList()).hasSize(1);
        assertThat(metadata.readValuesToList()).hasSize(1);
        assertThat(events.readValuesToList()).hasSize(3);
        assertThat(harness.deadLetters().isEmpty()).isTrue();
    }

    @Test
    void sameIdWithAnotherPayloadIsDeadLettered() {
        send(messages, ID, message(ID, SHA));
        String other = SHA.replace('a', 'b');
        send(messages, ID, message(ID, other));

        var dead = harness.deadLetters().readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).contains(other);
        assertThat(
                        new String(
                                dead.get(0)
                                        .headers()
                                        .lastHeader(DeadLetters.HEADER_MESSAGE)
                                        .value(),
                                StandardCharsets.UTF_8))
                .contains("already holds a different payload");
        assertThat(eventTexts()).containsExactly("Data workflow started");
    }

    @Test
    void salvagedRecordEndsWithItsFailureStated() {
        send(messages, ID, message(ID, SHA));
        send(
                results,
                ID,
                """
                {"topic": "audit.messages", "partition": 0, "offset": 0,
                 "bucket": "millrace-audit-failed", "key": "audit.messages/0/00000000000000000000",
                 "status": "salvaged", "reason": "bad base64", "timestamp": "2026-01-01T00:00:00.150Z"}
                """);

        assertThat(eventTexts())
                .containsExactly(
                        "Data workflow started", "S3 Archive Failed", "Metadata persisted");
        JsonNode state = json(finalStates.readValuesToList().get(0));
        assertThat(state.at("/storageContext/persistence/S3").asBoolean()).isFalse();
        assertThat(state.at("/storageContext/S3Reference/bucket").asText())
                .isEqualTo("millrace-audit-failed");
        assertThat(finalStates.isEmpty()).isTrue();
    }

    @Test
    void unreadableInputIsSkippedWithoutOutput() {
        send(messages, ID, "not json");
        send(messages, "other-id", message(ID, SHA));
        send(results, ID, "{\"status\": \"archived\"}");

        assertThat(events.isEmpty()).isTrue();
        assertThat(finalStates.isEmpty()).isTrue();
        assertThat(harness.deadLetters().isEmpty()).isTrue();
    }

    @Test
    void finishedMessagesAreForgottenAfterTheRetention() {
        send(messages, ID, message(ID, SHA));
        send(results, ID, archived(ID, KEY, "2026-01-01T00:00:00.150Z"));
        assertThat(harness.driver().getKeyValueStore(AuditTopology.WORKFLOW_STORE).get(ID))
                .isNotNull();
        clock = clock.plus(Duration.ofDays(8));
        send(messages, "another", message("another", SHA));

        assertThat(harness.driver().getKeyValueStore(AuditTopology.WORKFLOW_STORE).get(ID))
                .isNull();
        assertThat(harness.driver().getKeyValueStore(AuditTopology.WORKFLOW_STORE).get("another"))
                .isNotNull();
    }
}
