package dev.millrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads the persisted metadata of an audit message by its id. */
@FunctionalInterface
public interface MetadataLookup {
    /**
     * @return the metadata, or empty when no metadata is persisted for the id
     * @throws IllegalStateException when the store cannot be read yet (it is still loading)
     */
    Optional<JsonNode> find(String messageId);
}
