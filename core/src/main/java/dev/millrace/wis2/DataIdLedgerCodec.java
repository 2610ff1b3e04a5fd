package dev.millrace.wis2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link DataIdLedger} as JSON bytes, for a state store or a checkpoint. */
public final class DataIdLedgerCodec {
    private DataIdLedgerCodec() {}

    public static byte[] encode(DataIdLedger ledger) {
        try {
            return Json.mapper().writeValueAsBytes(toJson(ledger));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DataIdLedger decode(byte[] bytes) {
        try {
            return fromJson(Json.mapper().readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ledger as a JSON tree, for a value that holds it beside other fields. */
    public static ObjectNode toJson(DataIdLedger ledger) {
        ObjectNode json = Json.mapper().createObjectNode();
        put(json, "processed", ledger.processed());
        put(json, "inFlight", ledger.inFlight());
        put(json, "touched", ledger.touched());
        ArrayNode waiting = json.putArray("waiting");
        ledger.waiting().forEach(n -> waiting.add(n.copyOfJson()));
        return json;
    }

    public static DataIdLedger fromJson(JsonNode json) {
        List<Notification> waiting = new ArrayList<>();
        for (JsonNode n : json.path("waiting")) {
            waiting.add(Notification.of((ObjectNode) n));
        }
        return new DataIdLedger(
                instant(json, "processed"),
                instant(json, "inFlight"),
                waiting,
                instant(json, "touched"));
    }

    private static void put(ObjectNode json, String field, Instant value) {
        if (value != null) {
            json.put(field, value.toString());
        }
    }

    private static Instant instant(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.asText());
    }
}
