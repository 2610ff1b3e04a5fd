package dev.millrace.streams.audit;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The audit workflow: each accepted record is archived by the S3 sink, and once the sink reports
 * the archive, its metadata is persisted and exactly one final state is emitted.
 *
 * <p>Input: {@code audit.messages} (the accepted records, keyed by messageID) and {@code
 * audit.archive-results} (the S3 sink's report per record, on the record's partition). Output:
 * {@code audit.metadata} (compacted, keyed by messageID), {@code audit.final-state} (one per
 * message), {@code audit.events} (progress) and {@code audit.dlq} (a record reusing an id for
 * another payload). State: each message's progress in {@value #WORKFLOW_STORE}, changelogged; a
 * finished message keeps only its payload's SHA-256, for {@code audit.retention} of stream time.
 * Guarantees: exactly-once, so a crash between the archive and the final state ends, after the
 * restart, with one final state still.
 */
public final class AuditTopology {
    public static final String APPLICATION_ID = "millrace-audit";
    public static final String WORKFLOW_STORE = "audit-workflow-store";

    static final String MESSAGES_SOURCE = "messages-source";
    static final String ARCHIVE_RESULTS_SOURCE = "archive-results-source";
    static final String MESSAGES = "messages-processor";
    static final String ARCHIVE_RESULTS = "archive-results-processor";
    static final String METADATA_SINK = "metadata-sink";
    static final String FINAL_STATE_SINK = "final-state-sink";
    static final String EVENTS_SINK = "events-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** The names of the topology's topics. */
    public record Topics(
            String messages,
            String archiveResults,
            String metadata,
            String finalState,
            String events,
            String deadLetters) {
        public static final Topics CATALOG =
                new Topics(
                        dev.millrace.streams.Topics.AUDIT_MESSAGES.name(),
                        dev.millrace.streams.Topics.AUDIT_ARCHIVE_RESULTS.name(),
                        dev.millrace.streams.Topics.AUDIT_METADATA.name(),
                        dev.millrace.streams.Topics.AUDIT_FINAL_STATE.name(),
                        dev.millrace.streams.Topics.AUDIT_EVENTS.name(),
                        dev.millrace.streams.Topics.AUDIT_DLQ.name());
    }

    private final Duration retention;
    private final boolean awsSample;
    private final Topics topics;

    /**
     * @param awsSample whether the documents also carry the AWS sample's fields ({@code
     *     audit.compat=aws-sample})
     */
    public AuditTopology(Duration retention, boolean awsSample) {
        this(retention, awsSample, Topics.CATALOG);
    }

    public AuditTopology(Duration retention, boolean awsSample, Topics topics) {
        this.retention = retention;
        this.awsSample = awsSample;
        this.topics = topics;
    }

    public Topology build() {
        Topology topology = new Topology();
        topology.addSource(
                MESSAGES_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                topics.messages());
        topology.addSource(
                ARCHIVE_RESULTS_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                topics.archiveResults());
        topology.addProcessor(
                MESSAGES,
                () ->
                        new AuditProcessor(
                                AuditProcessor.Input.MESSAGES, topics, retention, awsSample),
                MESSAGES_SOURCE);
        topology.addProcessor(
                ARCHIVE_RESULTS,
                () ->
                        new AuditProcessor(
                                AuditProcessor.Input.ARCHIVE_RESULTS, topics, retention, awsSample),
                ARCHIVE_RESULTS_SOURCE);
        // Finished messages are kept for the retention (a week by default): too many for the heap.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(WORKFLOW_STORE),
                        Serdes.String(),
                        Serdes.ByteArray()),
                MESSAGES,
                ARCHIVE_RESULTS);
        for (var sink :
                new String[][] {
                    {METADATA_SINK, topics.metadata()},
                    {FINAL_STATE_SINK, topics.finalState()},
                    {EVENTS_SINK, topics.events()},
                    {DEAD_LETTER_SINK, topics.deadLetters()}
                }) {
            topology.addSink(
                    sink[0],
                    sink[1],
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer(),
                    MESSAGES,
                    ARCHIVE_RESULTS);
        }
        return topology;
    }
}
