package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
}
