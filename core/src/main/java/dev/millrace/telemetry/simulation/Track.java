package dev.millrace.telemetry.simulation;

import dev.millrace.telemetry.FinishLine;
import dev.millrace.telemetry.Geo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A closed circuit on the map, walked by distance: {@code position(s)} is where a car is after
 * {@code s} metres from the start/finish line. Built from a parametric curve in metres east and
 * north of a centre point, sampled finely enough that the polyline is the track, or from the points
 * of a real circuit's outline.
 */
public final class Track {
    private static final double METERS_PER_DEGREE = Math.toRadians(Geo.EARTH_RADIUS_M);

    private final double centreLat;
    private final double centreLon;
    private final double metersPerDegreeLon;
    private final double[] xs;
    private final double[] ys;
    private final double[] along;

    private Track(double centreLat, double centreLon, double[] xs, double[] ys) {
        this.centreLat = centreLat;
        this.centreLon = centreLon;
        this.metersPerDegreeLon = METERS_PER_DEGREE * Math.cos(Math.toRadians(centreLat));
        this.xs = xs;
        this.ys = ys;
        this.along = new double[xs.length];
        for (int i = 1; i < xs.length; i++) {
            along[i] = along[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
        }
    }

    /**
     * Samples the closed curve {@code (x(t), y(t))}, t in [0, 2π], in metres east and north of the
     * centre; t = 0 is the start/finish line.
     */
    public static Track closedCurve(
            double centreLat,
            double centreLon,
            DoubleUnaryOperator x,
            DoubleUnaryOperator y,
            int samples) {
        double[] xs = new double[samples + 1];
        double[] ys = new double[samples + 1];
        for (int i = 0; i <= samples; i++) {
            double t = 2 * Math.PI * i / samples;
            xs[i] = x.applyAsDouble(t);
            ys[i] = y.applyAsDouble(t);
        }
        return new Track(centreLat, centreLon, xs, ys);
    }

    /**
     * A circuit through the given points (latitude, longitude; in driving order, the first on the
     * start/finish line), closed from the last point back to the first.
     */
    public static Track polyline(double[][] latLon) {
        double lat = 0;
        double lon = 0;
        for (double[] point : latLon) {
            lat += point[0];
            lon += point[1];
        }
        lat /= latLon.length;
        lon /= latLon.length;
        double perLon = METERS_PER_DEGREE * Math.cos(Math.toRadians(lat));
        double[] xs = new double[latLon.length + 1];
        double[] ys = new double[latLon.length + 1];
        for (int i = 0; i <= latLon.length; i++) {
            double[] point = latLon[i % latLon.length];
            xs[i] = (point[1] - lon) * perLon;
            ys[i] = (point[0] - lat) * METERS_PER_DEGREE;
        }
        return new Track(lat, lon, xs, ys);
    }

    /**
     * A circuit from a class-path resource of {@code latitude,longitude} lines ({@code #} starts a
     * comment), as {@link #polyline}.
     */
    public static Track fromResource(String name) {
        List<double[]> points = new ArrayList<>();
        try (InputStream in = Track.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no circuit resource " + name);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split(",");
                points.add(
                        new double[] {
                            Double.parseDouble(parts[0].strip()),
                            Double.parseDouble(parts[1].strip())
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return polyline(points.toArray(double[][]::new));
    }

    /**
     * How sharply the track turns around {@code s}: the change of heading, in radians (0 to π),
     * between {@code window} metres before and {@code window} metres after.
     */
    public double turning(double s, double window) {
        double before = heading(s - window, s - window + 1);
        double after = heading(s + window - 1, s + window);
        double turn = Math.abs(after - before) % (2 * Math.PI);
        return turn > Math.PI ? 2 * Math.PI - turn : turn;
    }

    private double heading(double from, double to) {
        double[] a = xy(from);
        double[] b = xy(to);
        return Math.atan2(b[1] - a[1], b[0] - a[0]);
    }

    /** One lap, in metres. */
    public double length() {
        return along[along.length - 1];
    }

    /** Latitude and longitude after {@code s} metres; any number of laps. */
    public double[] position(double s) {
        double[] xy = xy(s);
        return new double[] {latitude(xy[1]), longitude(xy[0])};
    }

    /**
     * A line across the track at {@code s} metres, perpendicular to it, {@code halfWidth} metres to
     * each side, its ends rounded to 1e-6 degrees (about 0.1 m).
     */
    public FinishLine lineAcross(double s, double halfWidth) {
        double[] here = xy(s);
        double[] ahead = xy(s + 1);
        double dx = ahead[0] - here[0];
        double dy = ahead[1] - here[1];
        double norm = Math.hypot(dx, dy);
        double nx = -dy / norm * halfWidth;
        double ny = dx / norm * halfWidth;
        return new FinishLine(
                round6(latitude(here[1] + ny)),
                round6(longitude(here[0] + nx)),
                round6(latitude(here[1] - ny)),
                round6(longitude(here[0] - nx)));
    }

    private double[] xy(double s) {
        double length = length();
        double d = ((s % length) + length) % length;
        int i = Arrays.binarySearch(along, d);
        if (i >= 0) {
            return new double[] {xs[i], ys[i]};
        }
        int after = -i - 1;
        int before = after - 1;
        double f = (d - along[before]) / (along[after] - along[before]);
        return new double[] {
            xs[before] + f * (xs[after] - xs[before]), ys[before] + f * (ys[after] - ys[before])
        };
    }

    private double latitude(double north) {
        return centreLat + north / METERS_PER_DEGREE;
    }

    private double longitude(double east) {
        return centreLon + east / metersPerDegreeLon;
    }

    private static double round6(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }
}
