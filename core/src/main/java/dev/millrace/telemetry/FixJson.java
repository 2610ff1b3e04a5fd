package dev.millrace.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code carCoordinates} JSON form of a fix. Reading rejects anything the telemetry schema
 * rejects, with the reason. It streams over the payload rather than building a tree: every fix of
 * every race passes through here.
 */
public final class FixJson {
    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();

    private FixJson() {}

    /** What a field held: its value when it has the right type, and how to describe it. */
    private static final class Field {
        boolean present;
        boolean integral;
        boolean number;
        long longValue;
        double doubleValue;
        String text = "nothing";

        void read(JsonParser p, JsonToken token) throws IOException {
            present = true;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                number = true;
                doubleValue = p.getDoubleValue();
                if (p.getNumberType() == JsonParser.NumberType.INT
                        || p.getNumberType() == JsonParser.NumberType.LONG) {
                    integral = true;
                    longValue = p.getLongValue();
                }
                text = p.getText();
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                number = true;
                doubleValue = p.getDoubleValue();
                if (doubleValue == Math.rint(doubleValue) && Math.abs(doubleValue) < 0x1p53) {
                    integral = true;
                    longValue = (long) doubleValue;
                }
                text = p.getText();
            } else if (token == JsonToken.START_OBJECT) {
                text = "an object";
                p.skipChildren();
            } else if (token == JsonToken.START_ARRAY) {
                text = "an array";
                p.skipChildren();
            } else if (token == JsonToken.VALUE_STRING) {
                String s = p.getText();
                text = "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
            } else {
                text = p.getText();
            }
        }
    }

    /**
     * @throws MalformedFixException naming the first problem found
     */
    public static Fix parse(byte[] payload) {
        if (payload == null) {
            throw new MalformedFixException("no payload");
        }
        Fix fix = CompactFix.parse(payload);
        return fix != null ? fix : parseAnyLayout(payload);
    }

    private static Fix parseAnyLayout(byte[] payload) {
        Field timestamp = new Field();
        Field carIndex = new Field();
        Field lat = new Field();
        Field lon = new Field();
        String location = "nothing";
        boolean locationObject = false;
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFixException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "timestamp" -> timestamp.read(p, token);
                    case "carIndex" -> carIndex.read(p, token);
                    case "location" -> {
                        if (token == JsonToken.START_OBJECT) {
                            locationObject = true;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String inner = p.currentName();
                                JsonToken value = p.nextToken();
                                switch (inner) {
                                    case "lat" -> lat.read(p, value);
                                    case "long" -> lon.read(p, value);
                                    default -> p.skipChildren();
                                }
                            }
                        } else {
                            Field other = new Field();
                            other.read(p, token);
                            location = other.text;
                            locationObject = false;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedFixException("more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedFixException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFixException("unreadable payload: " + e.getMessage());
        }
        if (!timestamp.integral || timestamp.longValue < 0) {
            throw new MalformedFixException(
                    "timestamp must be an integer number of epoch milliseconds >= 0, got "
                            + timestamp.text);
        }
        if (!carIndex.integral
                || carIndex.longValue < 0
                || carIndex.longValue > Integer.MAX_VALUE) {
            throw new MalformedFixException(
                    "carIndex must be an integer >= 0, got " + carIndex.text);
        }
        if (!locationObject) {
            throw new MalformedFixException(
                    "location must be an object with lat and long, got " + location);
        }
        coordinate(lat, "location.lat", 90);
        coordinate(lon, "location.long", 180);
        return new Fix(
                timestamp.longValue, (int) carIndex.longValue, lat.doubleValue, lon.doubleValue);
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

    private static void coordinate(Field field, String name, int limit) {
        if (!field.number) {
            throw new MalformedFixException(
                    name + " must be a number of decimal degrees, got " + field.text);
        }
        if (!(field.doubleValue >= -limit && field.doubleValue <= limit)) {
            throw new MalformedFixException(
                    name + " must be within [-" + limit + ", " + limit + "], got " + field.text);
        }
    }
}
