package dev.millrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.audit.ArchiveOutcome;
import dev.millrace.audit.AuditRecord;
import dev.millrace.audit.AuditWorkflow;
import dev.millrace.deadletter.DeadLetterHeaders;
import dev.millrace.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit job on a MiniCluster: records and archive reports in either order end in what the
 * core's workflow says, one final state per message; a reused id with another payload is a dead
 * letter.
 */
class AuditWorkflowJobTest {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.cluster();

    private static final AuditWorkflowJob.Topics TOPICS = AuditWorkflowJob.Topics.CATALOG;
    private static final long T0 = Instant.parse("2026-03-15T09:41:08Z").toEpochMilli();

    private static String record(String id, String sha) {
        return """
        {"payload": {"inline": "eyJhIjoxfQ==", "contentType": "application/json", "size": 7},
         "messageID": "%s",
         "messageMetaData": {"messageType": "T", "sourceSystemID": "s",
                             "sourceTransactionID": "t-%s", "dateTime": "2026-03-15T09:41:07Z"},
         "messageSecurityContext": {"apiKeyId": "k", "payloadSha256": "%s"}}
        """
                .formatted(id, id, sha);
    }

    private static String archived(String id) {
        return """
        {"status": "archived", "bucket": "archive", "key": "2026/03/15/%s",
         "timestamp": "2026-03-15T09:41:08Z"}
        """
                .formatted(id);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reportsInEitherOrderEndInTheWorkflowsOutputs() throws Exception {
        JobConfig config = JobConfig.of(Map.of());
        List<KafkaRecord> messages = new ArrayList<>();
        List<KafkaRecord> archives = new ArrayList<>();
        List<KafkaRecord> expected = new ArrayList<>();
        AuditWorkflow workflow = new AuditWorkflow(TOPICS.metadata(), false);
        for (int i = 0; i < 20; i++) {
            String id = "m-" + i;
            messages.add(
                    TestIo.read(
                            TOPICS.messages(),
                            i,
                            T0,
                            utf8(id),
                            utf8(record(id, "sha" + i)),
                            List.of()));
            archives.add(
                    TestIo.read(
                            TOPICS.archiveResults(),
                            i,
                            T0,
                            utf8(id),
                            utf8(archived(id)),
                            List.of()));
            AuditWorkflow.Step started =
                    workflow.onMessage(
                            AuditWorkflow.State.NEW,
                            AuditRecord.parse(utf8(record(id, "sha" + i))),
                            Instant.ofEpochMilli(T0));
            AuditWorkflow.Step finished =
                    workflow.onArchive(
                            started.next(),
                            ArchiveOutcome.parse(utf8(archived(id))),
                            Instant.ofEpochMilli(T0));
            for (AuditWorkflow.Step step : List.of(started, finished)) {
                for (AuditWorkflow.Output output : step.outputs()) {
                    expected.add(expectedRecord(output));
                }
            }
        }
        // The id of m-0 again, for another payload.
        KafkaRecord reused =
                TestIo.read(
                        TOPICS.messages(),
                        20,
                        T0 + 1,
                        utf8("m-0"),
                        utf8(record("m-0", "other")),
                        List.of());
        messages.add(reused);

        TestIo io =
                new TestIo()
                        .input(TOPICS.messages(), messages)
                        .input(TOPICS.archiveResults(), archives);
        new AuditWorkflowJob(config, TOPICS).build(Flink.env(config), io);
        List<KafkaRecord> outputs = io.run();

        for (String topic : List.of(TOPICS.metadata(), TOPICS.finalState(), TOPICS.events())) {
            assertThat(TestIo.to(outputs, topic))
                    .as(topic)
                    .containsExactlyInAnyOrderElementsOf(TestIo.to(expected, topic));
        }
        assertThat(TestIo.to(outputs, TOPICS.finalState())).hasSize(20);
        List<KafkaRecord> dead = TestIo.to(outputs, TOPICS.deadLetters());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(reused.value());
        assertThat(dead.get(0).header(DeadLetterHeaders.OFFSET)).isEqualTo("20");
    }

    private static KafkaRecord expectedRecord(AuditWorkflow.Output output) throws Exception {
        if (output instanceof AuditWorkflow.Event event) {
            return KafkaRecord.to(
                    TOPICS.events(),
                    event.timestamp().toEpochMilli(),
                    utf8(event.messageId()),
                    Json.mapper().writeValueAsBytes(event.toJson()),
                    List.of());
        } else if (output instanceof AuditWorkflow.Metadata metadata) {
            return KafkaRecord.to(
                    TOPICS.metadata(),
                    T0,
                    utf8(metadata.messageId()),
                    Json.mapper().writeValueAsBytes(metadata.value()),
                    List.of());
        }
        AuditWorkflow.FinalState state = (AuditWorkflow.FinalState) output;
        return KafkaRecord.to(
                TOPICS.finalState(),
                T0,
                utf8(state.messageId()),
                Json.mapper().writeValueAsBytes(state.value()),
                List.of());
    }
}
