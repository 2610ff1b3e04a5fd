package dev.millrace.wis2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        return nameBased(NAMESPACE, sourceId + "\n" + centreId);
    }

    /** RFC 4122 version 5: SHA-1 of the namespace and the name. */
    static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(toBytes(namespace));
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (msb >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (lsb >>> (56 - 8 * i));
        }
        return bytes;
    }
}
