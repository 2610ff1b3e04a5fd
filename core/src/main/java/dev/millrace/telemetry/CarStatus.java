package dev.millrace.telemetry;

/**
 * A measurement of one car, published on {@code carStatus}: its speed in mph or its position (1 =
 * leader). The timestamp is that of the fix it was computed from.
 */
public record CarStatus(long timestamp, int carIndex, Type type, Number value) {
    public enum Type {
        SPEED,
        POSITION
    }

    public static CarStatus speed(long timestamp, int carIndex, double mph) {
        return new CarStatus(timestamp, carIndex, Type.SPEED, mph);
    }

    public static CarStatus position(long timestamp, int carIndex, int rank) {
        return new CarStatus(timestamp, carIndex, Type.POSITION, rank);
    }
}
