package dev.millrace.wis2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * How the fetch of one notification's data ended, sent back to the data id's ledger.
 *
 * @param id the notification's id
 * @param pubtime its pubtime: the pair that is now processed, or still open
 * @param cached whether the pair is settled: its cache notification published, pointing at the
 *     cached data (or, for data too large to keep, at the source)
 * @param reason why not, when it is not
 */
public record FetchResult(String id, Instant pubtime, boolean cached, String reason) {

    public byte[] toJson() {
        try {
            return Json.mapper().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FetchResult fromJson(byte[] bytes) {
        try {
            JsonNode json = Json.mapper().readTree(bytes);
            return new FetchResult(
                    json.path("id").asText(),
                    Instant.parse(json.path("pubtime").asText()),
                    json.path("cached").asBoolean(),
                    json.path("reason").isNull() ? null : json.path("reason").asText(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
