package dev.millrace.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API keys the ingest service accepts, from {@code audit.api-keys}: entries {@code id:key}, or
 * a bare key whose id is derived from it. Keys are compared by their SHA-256 in constant time, so
 * neither a key's content nor its length leaks through timing, and only ids are ever shown.
 */
public final class ApiKeys {
    private record Entry(String id, byte[] digest) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    public static ApiKeys parse(List<String> configured) {
        List<Entry> entries = new ArrayList<>();
        for (String item : configured) {
            int colon = item.indexOf(':');
            String id = colon > 0 ? item.substring(0, colon) : null;
            String key = colon > 0 ? item.substring(colon + 1) : item;
            if (key.isEmpty()) {
                throw new IllegalArgumentException("an API key is empty");
            }
            byte[] digest = digest(key);
            if (id == null) {
                id =
                        "key-"
                                + SecurityContext.sha256Hex(key.getBytes(StandardCharsets.UTF_8))
                                        .substring(0, 8);
            }
            entries.add(new Entry(id, digest));
        }
        return new ApiKeys(List.copyOf(entries));
    }

    /** The id of the key presented, or empty when it is missing or unknown. */
    public Optional<String> idOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = digest(presented);
        String match = null;
        // Every entry is compared, so the time taken does not say which one matched.
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                match = entry.id();
            }
        }
        return Optional.ofNullable(match);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys" + entries.stream().map(Entry::id).toList();
    }
}
