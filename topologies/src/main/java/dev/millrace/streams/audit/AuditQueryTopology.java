package dev.millrace.streams.audit;

import dev.millrace.streams.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What {@code GET /v1/messages/{messageID}} reads: every instance of the ingest service holds the
 * whole compacted {@code audit.metadata} topic in a global store, so any of them can answer for any
 * message without routing the query.
 *
 * <p>Input: {@code audit.metadata}, read committed. Output: none. State: {@value #METADATA_STORE},
 * restored from the topic itself (no changelog).
 */
public final class AuditQueryTopology {
    public static final String APPLICATION_ID = "millrace-audit-query";
    public static final String METADATA_STORE = "audit-metadata-store";

    private final String metadataTopic;

    public AuditQueryTopology() {
        this(Topics.AUDIT_METADATA.name());
    }

    public AuditQueryTopology(String metadataTopic) {
        this.metadataTopic = metadataTopic;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(
                metadataTopic,
                Topics.AUDIT_METADATA.consumed("metadata-source"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(METADATA_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()));
        return builder.build();
    }
}
