package dev.millrace.telemetry;

import java.util.Locale;

/**
 * The start/finish line: a segment between two points. A car completes a lap when the straight path
 * between two of its consecutive fixes crosses it. A line is a few dozen metres long, so the
 * crossing is computed on a local flat projection centred on the line's first point, which is exact
 * to well under a centimetre at that scale.
 */
public final class FinishLine {
    private final double lat1;
    private final double lon1;
    private final double lat2;
    private final double lon2;
    private final double metersPerDegreeLon;
    private final double dx;
    private final double dy;

    public FinishLine(double lat1, double lon1, double lat2, double lon2) {
        checkLatitude(lat1);
        checkLatitude(lat2);
        checkLongitude(lon1);
        checkLongitude(lon2);
        this.lat1 = lat1;
        this.lon1 = lon1;
        this.lat2 = lat2;
        this.lon2 = lon2;
        this.metersPerDegreeLon = METERS_PER_DEGREE * Math.cos(Math.toRadians(lat1));
        this.dx = x(lon2);
        this.dy = y(lat2);
        if (dx == 0 && dy == 0) {
            throw new IllegalArgumentException("the line's two points must differ");
        }
    }

    private static final double METERS_PER_DEGREE = Math.toRadians(Geo.EARTH_RADIUS_M);

    /** Parses {@code lat1,long1,lat2,long2} in decimal degrees. */
    public static FinishLine parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "must be lat1,long1,lat2,long2 in decimal degrees, got "
                            + parts.length
                            + " values");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: '" + parts[i].trim() + "'");
            }
        }
        return new FinishLine(v[0], v[1], v[2], v[3]);
    }

    /**
     * Where the path from fix {@code a} to fix {@code b} crosses the line, or null when it does
     * not. A path that merely starts on the line does not cross it; one that ends on it does, so a
     * fix exactly on the line is counted once.
     */
    public Crossing crossing(double latA, double lonA, double latB, double lonB) {
        double ax = x(lonA);
        double ay = y(latA);
        double rx = x(lonB) - ax;
        double ry = y(latB) - ay;
        double denominator = rx * dy - ry * dx;
        if (denominator == 0) {
            return null;
        }
        // A + t*r = P1 + u*s, with P1 at the origin and s = (dx, dy).
        double t = (-ax * dy + ay * dx) / denominator;
        double u = (-ax * ry + ay * rx) / denominator;
        if (t <= 0 || t > 1 || u < 0 || u > 1) {
            return null;
        }
        return new Crossing(t, denominator > 0 ? 1 : -1);
    }

    /**
     * A line through point {@code a} across the direction from {@code a} to {@code b}, {@code
     * halfWidth} metres to each side: where a race starts, when no line is configured.
     */
    public static FinishLine across(
            double latA, double lonA, double latB, double lonB, double halfWidth) {
        double perLon = METERS_PER_DEGREE * Math.cos(Math.toRadians(latA));
        double east = (lonB - lonA) * perLon;
        double north = (latB - latA) * METERS_PER_DEGREE;
        double norm = Math.hypot(east, north);
        if (norm == 0) {
            throw new IllegalArgumentException("no direction: the two points are the same");
        }
        double sideEast = -north / norm * halfWidth;
        double sideNorth = east / norm * halfWidth;
        return new FinishLine(
                latA + sideNorth / METERS_PER_DEGREE,
                lonA + sideEast / perLon,
                latA - sideNorth / METERS_PER_DEGREE,
                lonA - sideEast / perLon);
    }

    /** How far the point is from the line, in metres (to its nearer end beyond the line's ends). */
    public double distanceMeters(double lat, double lon) {
        double px = x(lon);
        double py = y(lat);
        double along = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
        return Math.hypot(px - along * dx, py - along * dy);
    }

    /** The line's two ends, as {@code lat1, long1, lat2, long2}. */
    public double[] ends() {
        return new double[] {lat1, lon1, lat2, lon2};
    }

    /**
     * A crossing of the line.
     *
     * @param fraction how far along the path from the first fix to the second, in (0, 1]
     * @param direction which way the line was crossed, +1 or -1
     */
    public record Crossing(double fraction, int direction) {}

    private double x(double lon) {
        return (lon - lon1) * metersPerDegreeLon;
    }

    private double y(double lat) {
        return (lat - lat1) * METERS_PER_DEGREE;
    }

    private static void checkLatitude(double lat) {
        if (!(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("latitude out of range [-90, 90]: " + lat);
        }
    }

    private static void checkLongitude(double lon) {
        if (!(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("longitude out of range [-180, 180]: " + lon);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FinishLine l
                && lat1 == l.lat1
                && lon1 == l.lon1
                && lat2 == l.lat2
                && lon2 == l.lon2;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lat1) * 31
                + Double.hashCode(lon1) * 17
                + Double.hashCode(lat2) * 7
                + Double.hashCode(lon2);
    }

    /** The line as {@code lat1,long1,lat2,long2}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s,%s,%s,%s", lat1, lon1, lat2, lon2);
    }
}
