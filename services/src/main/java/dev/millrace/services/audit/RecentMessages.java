package dev.millrace.services.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests this instance stored lately under idempotent ids, so that a retry arriving before
 * the workflow has persisted the first one is still recognised. Bounded: the oldest are forgotten
 * first.
 */
final class RecentMessages {
    /** What identifies a request's body: the sender's metadata and the payload's digest. */
    record Taken(JsonNode metaData, String payloadSha256) {
        boolean sameAs(JsonNode otherMetaData, String otherSha256) {
            return payloadSha256.equals(otherSha256) && metaData.equals(otherMetaData);
        }
    }

    private final Map<String, Taken> taken;

    RecentMessages(int capacity) {
        this.taken =
                new LinkedHashMap<>(1024, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Taken> eldest) {
                        return size() > capacity;
                    }
                };
    }

    synchronized Taken get(String messageId) {
        return taken.get(messageId);
    }

    synchronized void put(String messageId, JsonNode metaData, String payloadSha256) {
        taken.put(messageId, new Taken(metaData, payloadSha256));
    }
}
