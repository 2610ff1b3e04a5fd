package dev.millrace.audit;

import dev.millrace.ids.Uuids;
import java.util.UUID;

/**
 * Message ids. With an {@code Idempotency-Key} the id is name-based on the API key id and the
 * idempotency key, so a retry gets the same id and its writes land on the same keys.
 */
public final class MessageIds {
    private static final UUID NAMESPACE = UUID.fromString("0d7f3a5e-8b41-5c2e-a6f9-3e1d2c4b5a60");

    private MessageIds() {}

    public static UUID forRequest(String apiKeyId, String idempotencyKey) {
        return idempotencyKey == null || idempotencyKey.isBlank()
                ? UUID.randomUUID()
                : Uuids.nameBased(NAMESPACE, apiKeyId + "\n" + idempotencyKey);
    }
}
