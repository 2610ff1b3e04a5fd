package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit pipeline as the dashboard shows it: final states counted since the dashboard started
 * (archived, or salvaged to the failure bucket), and the latest messages with the last step each
 * reached (from {@code audit.events} and {@code audit.final-state}). Only the message's id, type,
 * source system and state are shown: never its security context.
 */
final class AuditBoard {
    static final int MESSAGES = 25;

    /** State of a message whose final state says its payload is archived. */
    static final String ARCHIVED = "Archived";

    /** State of a message whose payload could not be archived and was salvaged. */
    static final String SALVAGED = "Salvaged";

    private final Map<String, ObjectNode> messages =
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
                    return size() > MESSAGES;
                }
            };
    private long finalStates;
    private long archived;
    private long salvaged;

    /**
     * A final state; counted when {@code live} (written since the dashboard started), else only
     * shown.
     */
    synchronized void finalState(JsonNode state, long recordTime, boolean live) {
        boolean s3 = state.path("storageContext").path("persistence").path("S3").asBoolean();
        if (live) {
            finalStates++;
            if (s3) {
                archived++;
            } else {
                salvaged++;
            }
        }
        ObjectNode message = message(state.path("messageID").asText(), recordTime);
        message.put("state", s3 ? ARCHIVED : SALVAGED);
        message.put("final", true);
        describe(message, state.path("messageMetaData"));
    }

    /** A progress event: the message's state, until its final state comes. */
    synchronized void event(JsonNode event, long recordTime) {
        ObjectNode message = message(event.path("messageID").asText(), recordTime);
        if (!message.path("final").asBoolean()) {
            message.put("state", event.path("event").asText());
        }
        describe(message, event.path("messageMetaData"));
    }

    private ObjectNode message(String id, long recordTime) {
        ObjectNode message = messages.remove(id);
        if (message == null) {
            message = Json.mapper().createObjectNode();
            message.put("messageID", id);
            message.put("final", false);
        }
        message.put("updated", recordTime);
        messages.put(id, message);
        return message;
    }

    private static void describe(ObjectNode message, JsonNode metaData) {
        for (String field : List.of("messageType", "sourceSystemID")) {
            if (metaData.hasNonNull(field)) {
                message.put(field, metaData.path(field).asText());
            }
        }
    }

    synchronized ObjectNode toJson() {
        ObjectNode audit = Json.mapper().createObjectNode();
        audit.put("finalStates", finalStates);
        audit.put("archived", archived);
        audit.put("salvaged", salvaged);
        ArrayNode latest = audit.putArray("messages");
        List<ObjectNode> newestFirst = new ArrayList<>(messages.values());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            latest.add(newestFirst.get(i).deepCopy());
        }
        return audit;
    }
}
