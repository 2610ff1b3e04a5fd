package dev.millrace.connect.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.json.Json;
import dev.millrace.schemas.Schemas;
import java.time.Instant;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The sink's reports on {@code audit.archive-results} follow that topic's schema. */
class ArchiveMessagesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.412Z");
    private static final RecordView RECORD =
            new RecordView(
                    new SinkRecord(
                            "audit.messages", 3, null, "k".getBytes(), null, new byte[] {1}, 41));

    @Test
    void anArchivedReportFollowsTheSchema() throws Exception {
        var json =
                Json.mapper()
                        .readTree(
                                ArchiveMessages.archived(
                                        RECORD, new S3Location("archive", "2026/k"), 1, NOW));

        assertThat(Schemas.get("audit/archive-result").validate(json)).isEmpty();
        assertThat(json.path("offset").asLong()).isEqualTo(41);
    }

    @Test
    void aSalvagedReportFollowsTheSchema() throws Exception {
        var json =
                Json.mapper()
                        .readTree(
                                ArchiveMessages.salvaged(
                                        RECORD,
                                        new S3Location("failed", "audit.messages/3/41"),
                                        300,
                                        "not an audit record",
                                        NOW));

        assertThat(Schemas.get("audit/archive-result").validate(json)).isEmpty();
    }

    @Test
    void aBatchReportFollowsTheSchema() throws Exception {
        var json =
                Json.mapper()
                        .readTree(
                                ArchiveMessages.archivedBatch(
                                        "audit.messages",
                                        3,
                                        41,
                                        64,
                                        new S3Location("archive", "batch/3/41"),
                                        65536,
                                        NOW));

        assertThat(Schemas.get("audit/archive-result").validate(json)).isEmpty();
    }
}
