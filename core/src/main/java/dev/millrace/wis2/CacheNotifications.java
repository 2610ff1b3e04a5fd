package dev.millrace.wis2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.ids.Uuids;
import java.util.UUID;

/**
 * Builds the notification a Global Cache republishes. Its id is a name-based UUID (version 5) of
 * the source id and the cache's centre id, so a retry after a crash republishes the same id and
 * subscribers can drop the copy.
 */
public final class CacheNotifications {
    /** The namespace of millrace's cache notification ids. */
    private static final UUID NAMESPACE = UUID.fromString("6f1c1f4e-2a7d-5a8e-9d2b-7c0e4b1a9f35");

    private CacheNotifications() {}

    /** The cache's copy of a notification whose data it stored at {@code cachedHref}. */
    public static ObjectNode cached(Notification source, String centreId, String cachedHref) {
        ObjectNode json = republished(source, centreId);
        for (JsonNode link : json.withArray("links")) {
            String rel = link.path("rel").asText("");
            if ((rel.equals("canonical") || rel.equals("update")) && link instanceof ObjectNode l) {
                l.put("href", cachedHref);
            }
        }
        return json;
    }

    /**
     * The republished copy of a notification the cache does not store ({@code cache: false}): a new
     * id and the cache's name, links untouched.
     */
    public static ObjectNode republished(Notification source, String centreId) {
        ObjectNode json = source.copyOfJson();
        json.put("id", id(source.id(), centreId).toString());
        ((ObjectNode) json.get("properties")).put("global-cache", centreId);
        return json;
    }

    /** The deterministic id of the cache's copy of notification {@code sourceId}. */
    public static UUID id(String sourceId, String centreId) {
        return Uuids.nameBased(NAMESPACE, sourceId + "\n" + centreId);
    }
}
