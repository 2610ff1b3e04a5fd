package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.schemas.Schemas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditWorkflowTest {
    private static final String RECORD =
            """
            {"payload": {"inline": "eyJhIjoxfQ==", "contentType": "application/json", "size": 7},
             "messageID": "m-1",
             "messageMetaData": {"messageType": "T", "sourceSystemID": "s",
                                 "sourceTransactionID": "t", "dateTime": "2026-03-15T09:41:07Z"},
             "messageSecurityContext": {"apiKeyId": "k", "payloadSha256": "abc"}}
            """;
    private static final Instant T0 = Instant.parse("2026-03-15T09:41:08Z");

    private final AuditWorkflow workflow = new AuditWorkflow("audit.metadata", false);

    private static AuditRecord message() {
        return AuditRecord.parse(RECORD.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheRecordWhateverTheFieldOrder() {
        AuditRecord message = message();
        assertThat(message.messageId()).isEqualTo("m-1");
        assertThat(message.metaData().get("messageType").asText()).isEqualTo("T");
        assertThat(message.payloadSha256()).isEqualTo("abc");
    }

    @Test
    void namesWhatARecordLacks() {
        assertThatThrownBy(() -> AuditRecord.parse("{\"messageID\": 3}".getBytes()))
                .hasMessage("the record has no messageID");
        assertThatThrownBy(() -> AuditRecord.parse("[1]".getBytes()))
                .hasMessage("the record is not a JSON object");
        assertThatThrownBy(
                        () ->
                                AuditRecord.parse(
                                        RECORD.replace("\"payloadSha256\": \"abc\"", "\"x\": 1")
                                                .getBytes()))
                .hasMessage("the record has no messageSecurityContext.payloadSha256");
        assertThatThrownBy(
                        () ->
                                ArchiveOutcome.parse(
                                        "{\"status\": \"lost\", \"bucket\": \"b\"}".getBytes()))
                .hasMessage("unknown archive status 'lost'");
    }

    @Test
    void aRunningStateSurvivesItsEncoding() {
        AuditWorkflow.State started =
                workflow.onMessage(AuditWorkflow.State.NEW, message(), T0).next();
        AuditWorkflow.State decoded = AuditWorkflow.State.decode(started.encode());
        assertThat(decoded.message()).isEqualTo(started.message());
        assertThat(decoded.finished()).isFalse();

        ArchiveOutcome outcome =
                new ArchiveOutcome(false, "failed", "audit.messages/0/1", T0, "bad base64");
        AuditWorkflow.State waiting =
                workflow.onArchive(AuditWorkflow.State.NEW, outcome, T0).next();
        assertThat(AuditWorkflow.State.decode(waiting.encode()).archive()).isEqualTo(outcome);
    }

    @Test
    void archiveTimesAreKeptToTheMillisecondLikeEveryOtherTimestamp() {
        ArchiveOutcome outcome =
                ArchiveOutcome.parse(
                        ("{\"status\": \"archived\", \"bucket\": \"b\", \"key\": \"k\","
                                        + " \"timestamp\": \"2026-11-23T22:12:22.483585724Z\"}")
                                .getBytes());
        assertThat(outcome.timestamp()).isEqualTo(Instant.parse("2026-11-23T22:12:22.483Z"));
    }

    @Test
    void aFinishedStateKeepsOnlyTheDigest() {
        AuditWorkflow.State started =
                workflow.onMessage(AuditWorkflow.State.NEW, message(), T0).next();
        AuditWorkflow.Step done =
                workflow.onArchive(started, new ArchiveOutcome(true, "archive", "k", T0, null), T0);
        assertThat(done.outputs()).hasSize(4);
        AuditWorkflow.State decoded = AuditWorkflow.State.decode(done.next().encode());
        assertThat(decoded).isEqualTo(new AuditWorkflow.State(null, null, "abc", T0));
        assertThat(workflow.onMessage(decoded, message(), T0).outputs()).isEmpty();
    }

    /**
     * With the AWS sample's shapes: a claim-checked message's metadata and final state carry the
     * sample's references and state, its four notices carry the sample's fields in the sample's
     * order, the last being the final document; every output still follows millrace's schemas.
     */
    @Test
    void withTheAwsSamplesShapesTheDocumentsCarryItsFieldsToo() throws Exception {
        AuditWorkflow sample = new AuditWorkflow("audit.metadata", true);
        AuditRecord staged =
                AuditRecord.parse(
                        RECORD.replace(
                                        "{\"inline\": \"eyJhIjoxfQ==\"",
                                        "{\"s3\": {\"bucket\": \"staging\", \"key\":"
                                                + " \"staging/m-1\"}")
                                .replace("m-1", "0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e")
                                .replace(
                                        "\"payloadSha256\": \"abc\"",
                                        "\"payloadSha256\": \""
                                                + "a".repeat(64)
                                                + "\", \"sourceIp\": \"10.0.0.1\","
                                                + " \"userAgent\": \"\", \"receivedTime\":"
                                                + " \"2026-03-15T09:41:08Z\"")
                                .getBytes(StandardCharsets.UTF_8));
        List<AuditWorkflow.Output> outputs = new ArrayList<>();
        AuditWorkflow.Step started = sample.onMessage(AuditWorkflow.State.NEW, staged, T0);
        outputs.addAll(started.outputs());
        outputs.addAll(
                sample.onArchive(
                                started.next(),
                                new ArchiveOutcome(true, "archive", "2026/k", T0, null),
                                T0)
                        .outputs());

        List<JsonNode> events =
                outputs.stream()
                        .filter(o -> o instanceof AuditWorkflow.Event)
                        .map(o -> (JsonNode) ((AuditWorkflow.Event) o).toJson())
                        .toList();
        assertThat(events)
                .extracting(e -> e.path("event").asText())
                .containsExactly(
                        "Data workflow started",
                        "S3 Archive Completed",
                        "Metadata persisted",
                        "Final state");
        assertThat(events.subList(0, 3))
                .extracting(e -> e.path("message").asText())
                .containsExactly(
                        "Data workflow started",
                        "S3 Archive Completed",
                        "Meta Data arcghive completed");
        assertThat(events)
                .extracting(e -> e.at("/state/S3Persisted").asBoolean())
                .containsExactly(false, true, true, true);
        assertThat(events.get(0).at("/storageContext/redisReference/key").asText())
                .isEqualTo("staging/0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e");
        assertThat(events.get(3).has("message")).isFalse();
        assertThat(events.get(3).at("/messageSecurityContext/sourceIp").asText())
                .isEqualTo("10.0.0.1");
        events.forEach(
                e -> assertThat(Schemas.get("audit/event").validate(e)).as(e.toString()).isEmpty());

        JsonNode finalState =
                outputs.stream()
                        .filter(o -> o instanceof AuditWorkflow.FinalState)
                        .map(o -> (JsonNode) ((AuditWorkflow.FinalState) o).value())
                        .findFirst()
                        .orElseThrow();
        assertThat(finalState.at("/storageContext/metaDataReference/dynamoDbTableName").asText())
                .isEqualTo("audit.metadata");
        assertThat(finalState.at("/storageContext/metaDataReference/primaryKey").asText())
                .isEqualTo("0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e");
        assertThat(finalState.at("/storageContext/redisReference/server").asText())
                .isEqualTo("staging");
        assertThat(finalState.at("/storageContext/redisReference/port").isNull()).isTrue();
        assertThat(finalState.path("state").toString())
                .isEqualTo("{\"S3Persisted\":true,\"metaDataPersisted\":true}");
        assertThat(Schemas.get("audit/final-state").validate(finalState)).isEmpty();
        assertThat(Schemas.get("audit/metadata").validate(finalState)).isEmpty();
    }

    @Test
    void withoutTheSamplesShapesNoneOfItsFieldsAppear() {
        AuditWorkflow.Step started = workflow.onMessage(AuditWorkflow.State.NEW, message(), T0);
        AuditWorkflow.Step done =
                workflow.onArchive(
                        started.next(), new ArchiveOutcome(true, "archive", "k", T0, null), T0);
        assertThat(done.outputs())
                .filteredOn(o -> o instanceof AuditWorkflow.FinalState)
                .singleElement()
                .satisfies(
                        o -> {
                            JsonNode value = ((AuditWorkflow.FinalState) o).value();
                            assertThat(value.has("state")).isFalse();
                            assertThat(value.path("storageContext").has("redisReference"))
                                    .isFalse();
                        });
    }
}
