package dev.millrace.wis2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the ledger store holds per data_id: the domain's ledger and the MQTT topic the data id's
 * notifications arrive on, which its republished copies need and its waiting copies lost.
 */
public record LedgerEntry(String topic, DataIdLedger ledger) {

    public byte[] encode() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("topic", topic);
        json.set("ledger", DataIdLedgerCodec.toJson(ledger));
        try {
            return Json.mapper().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LedgerEntry decode(byte[] bytes) {
        try {
            JsonNode json = Json.mapper().readTree(bytes);
            return new LedgerEntry(
                    json.path("topic").asText(), DataIdLedgerCodec.fromJson(json.get("ledger")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
