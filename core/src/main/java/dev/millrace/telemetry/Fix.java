package dev.millrace.telemetry;

/**
 * One GPS fix of one car: the {@code carCoordinates} message.
 *
 * @param timestamp when the fix was taken, epoch milliseconds
 * @param carIndex zero-based index of the car
 * @param lat latitude, decimal degrees
 * @param lon longitude, decimal degrees
 */
public record Fix(long timestamp, int carIndex, double lat, double lon) {}
