package dev.millrace.telemetry;

/** Distances on the Earth's surface, as the telemetry contract defines them. */
public final class Geo {
    /** Mean Earth radius (IUGG), the radius the telemetry contract names. */
    public static final double EARTH_RADIUS_M = 6_371_008.8;

    public static final double METERS_PER_MILE = 1609.344;

    private Geo() {}

    /** Great-circle distance in metres between two points given in decimal degrees. */
    public static double haversineMeters(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double sinHalfDLat = Math.sin((phi2 - phi1) / 2);
        double sinHalfDLon = Math.sin(Math.toRadians(lon2 - lon1) / 2);
        double a =
                sinHalfDLat * sinHalfDLat
                        + Math.cos(phi1) * Math.cos(phi2) * sinHalfDLon * sinHalfDLon;
        // asin of a value rounded just above 1 would be NaN for antipodal points.
        return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1.0, a)));
    }

    /** Speed in miles per hour of {@code meters} covered in {@code millis} milliseconds. */
    public static double mph(double meters, long millis) {
        return meters / METERS_PER_MILE / (millis / 3_600_000.0);
    }
}
