package dev.millrace.telemetry.simulation;

import dev.millrace.telemetry.Fix;
import java.util.SplittableRandom;

/**
 * A race on a {@link Track}: cars of different pace, each reporting a fix {@code hz} times a second
 * with some timing jitter, from a rolling start with the faster cars behind, so that they overtake.
 * The same seed gives the same race. {@link #next()} returns the fixes of all cars in time order.
 */
public final class RaceSimulation {
    private static final long START_GAP_MS = 500;
    private static final double START_PAST_LINE_M = 0.5;
    private static final double BASE_PACE_MPS = 72;
    private static final double PACE_STEP_MPS = 0.5;
    private static final double PACE_SWING = 0.06;
    private static final int CORNER_WAVES = 3;

    private final Track track;
    private final long periodMs;
    private final SplittableRandom random;
    private final SimCar[] cars;

    public RaceSimulation(Track track, int cars, int hz, long startMillis, long seed) {
        if (cars < 1 || hz < 1 || hz > 1000) {
            throw new IllegalArgumentException("need at least one car and 1..1000 fixes a second");
        }
        this.track = track;
        this.periodMs = Math.max(1, 1000 / hz);
        this.random = new SplittableRandom(seed);
        this.cars = new SimCar[cars];
        for (int i = 0; i < cars; i++) {
            double pace = BASE_PACE_MPS + PACE_STEP_MPS * i;
            double phase = random.nextDouble(2 * Math.PI);
            // A rolling start: each car crosses the line START_GAP_MS after the one before, the
            // faster cars last, so the order on the road is the order by distance covered.
            long first = startMillis + START_GAP_MS * i;
            this.cars[i] = new SimCar(i, pace, phase, START_PAST_LINE_M, first);
        }
    }

    /** The next fix of the race, in time order across cars. */
    public Fix next() {
        SimCar car = cars[0];
        for (SimCar c : cars) {
            if (c.nextTime < car.nextTime) {
                car = c;
            }
        }
        double[] position = track.position(car.distance);
        Fix fix = new Fix(car.nextTime, car.index, gps(position[0]), gps(position[1]));
        long jitter = periodMs >= 5 ? random.nextLong(-periodMs / 5, periodMs / 5 + 1) : 0;
        long step = Math.max(1, periodMs + jitter);
        car.distance += speed(car) * step / 1000.0;
        car.nextTime += step;
        return fix;
    }

    /** A receiver's resolution: 1e-7 degrees, about a centimetre. */
    private static double gps(double degrees) {
        return Math.round(degrees * 1e7) / 1e7;
    }

    /** Metres per second: the car's pace, swinging through the lap like corners and straights. */
    private double speed(SimCar car) {
        double lapFraction = car.distance / track.length();
        return car.pace
                * (1 + PACE_SWING * Math.sin(2 * Math.PI * CORNER_WAVES * lapFraction + car.phase));
    }

    private static final class SimCar {
        final int index;
        final double pace;
        final double phase;
        double distance;
        long nextTime;

        SimCar(int index, double pace, double phase, double distance, long nextTime) {
            this.index = index;
            this.pace = pace;
            this.phase = phase;
            this.distance = distance;
            this.nextTime = nextTime;
        }
    }
}
