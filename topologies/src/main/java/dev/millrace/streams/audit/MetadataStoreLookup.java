package dev.millrace.streams.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.audit.MetadataLookup;
import dev.millrace.json.Json;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads an audit message's metadata from the running {@link AuditQueryTopology}'s store. */
public final class MetadataStoreLookup implements MetadataLookup {
    private final KafkaStreams streams;

    public MetadataStoreLookup(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Optional<JsonNode> find(String messageId) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new IllegalStateException(
                    "the metadata store is not ready (" + streams.state() + ")");
        }
        byte[] value;
        try {
            ReadOnlyKeyValueStore<String, byte[]> store =
                    streams.store(
                            StoreQueryParameters.fromNameAndType(
                                    AuditQueryTopology.METADATA_STORE,
                                    QueryableStoreTypes.keyValueStore()));
            value = store.get(messageId);
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("the metadata store is not ready: " + e.getMessage());
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readTree(value));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable metadata for " + messageId, e);
        }
    }
}
