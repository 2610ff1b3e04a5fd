package dev.millrace.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.millrace.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code carCoordinates} JSON form of a fix. Reading rejects anything the telemetry schema
 * rejects, with the reason.
 */
public final class FixJson {
    private static final ObjectReader READER = Json.mapper().reader();

    private FixJson() {}

    /**
     * @throws MalformedFixException naming the first problem found
     */
    public static Fix parse(byte[] payload) {
        if (payload == null) {
            throw new MalformedFixException("no payload");
        }
        JsonNode root;
        try {
            root = READER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new MalformedFixException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFixException("unreadable payload: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedFixException("not a JSON object");
        }
        JsonNode timestamp = root.get("timestamp");
        if (timestamp == null
                || !timestamp.canConvertToExactIntegral()
                || !timestamp.canConvertToLong()
                || timestamp.asLong() < 0) {
            throw new MalformedFixException(
                    "timestamp must be an integer number of epoch milliseconds >= 0, got "
                            + describe(timestamp));
        }
        JsonNode carIndex = root.get("carIndex");
        if (carIndex == null
                || !carIndex.canConvertToExactIntegral()
                || !carIndex.canConvertToInt()
                || carIndex.asInt() < 0) {
            throw new MalformedFixException(
                    "carIndex must be an integer >= 0, got " + describe(carIndex));
        }
        JsonNode location = root.get("location");
        if (location == null || !location.isObject()) {
            throw new MalformedFixException(
                    "location must be an object with lat and long, got " + describe(location));
        }
        double lat = coordinate(location.get("lat"), "location.lat", 90);
        double lon = coordinate(location.get("long"), "location.long", 180);
        return new Fix(timestamp.asLong(), carIndex.asInt(), lat, lon);
    }

    /** The fix as a {@code carCoordinates} payload. */
    public static byte[] write(Fix fix) {
        return String.format(
                        Locale.ROOT,
                        "{\"timestamp\":%d,\"carIndex\":%d,\"location\":{\"lat\":%s,\"long\":%s}}",
                        fix.timestamp(),
                        fix.carIndex(),
                        fix.lat(),
                        fix.lon())
                .getBytes(StandardCharsets.UTF_8);
    }

    private static double coordinate(JsonNode node, String name, double limit) {
        if (node == null || !node.isNumber()) {
            throw new MalformedFixException(
                    name + " must be a number of decimal degrees, got " + describe(node));
        }
        double value = node.asDouble();
        if (!(value >= -limit && value <= limit)) {
            throw new MalformedFixException(
                    name
                            + " must be within [-"
                            + (int) limit
                            + ", "
                            + (int) limit
                            + "], got "
                            + node);
        }
        return value;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
