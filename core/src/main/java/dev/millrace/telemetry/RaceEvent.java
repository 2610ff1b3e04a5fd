package dev.millrace.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A race event, published on {@code events}. Only {@code timestamp} and {@code text} belong to the
 * MAT format; the other fields spare consumers from parsing the text, and are left out when they do
 * not apply.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RaceEvent(
        long timestamp,
        String text,
        Integer carIndex,
        Type type,
        Integer overtaken,
        Integer lap,
        Long lapTimeMs) {
    public enum Type {
        OVERTAKE,
        LAP,
        FASTEST_LAP
    }

    public static RaceEvent overtake(long timestamp, int carIndex, int overtaken) {
        return new RaceEvent(
                timestamp,
                "Car " + carIndex + " races ahead of Car " + overtaken + " in a dramatic overtake.",
                carIndex,
                Type.OVERTAKE,
                overtaken,
                null,
                null);
    }

    public static RaceEvent lap(long timestamp, int carIndex, int lap, long lapTimeMs) {
        return new RaceEvent(
                timestamp,
                "Car " + carIndex + " completed lap " + lap + " in " + lapTime(lapTimeMs),
                carIndex,
                Type.LAP,
                null,
                lap,
                lapTimeMs);
    }

    public static RaceEvent fastestLap(long timestamp, int carIndex, int lap, long lapTimeMs) {
        return new RaceEvent(
                timestamp,
                "Car " + carIndex + " set the fastest lap: " + lapTime(lapTimeMs),
                carIndex,
                Type.FASTEST_LAP,
                null,
                lap,
                lapTimeMs);
    }

    /** A lap time as {@code m:ss.mmm}, e.g. {@code 1:23.456}. */
    public static String lapTime(long millis) {
        return String.format("%d:%02d.%03d", millis / 60_000, (millis / 1000) % 60, millis % 1000);
    }
}
