package dev.millrace.telemetry.simulation;

import dev.millrace.telemetry.Fix;
import java.util.SplittableRandom;

/**
 * A race on a {@link Track}: cars of different pace, each reporting a fix at a steady rate, slowing
 * where the track turns and flat out on the straights. The same seed gives the same race. {@link
 * #next()} returns the fixes of all cars in time order.
 *
 * <p>Two kinds of race: the demo's rolling start, the faster cars behind so that they overtake, at
 * 10 fixes a second with some timing jitter; and the feed the MAT Fan Engagement stream generator
 * publishes ({@link #matFeed}): every car from a standstill at the line, a fix every 200 ms, and
 * tick-to-tick jumps of the distance covered of up to 12 %, so that close cars trade places on
 * every other fix while one of them passes the other.
 */
public final class RaceSimulation {
    private static final double TOP_SPEED_MPS = 94;
    private static final double PACE_STEP = 0.006;
    private static final double CORNERING = 2.5;
    private static final double TURN_WINDOW_M = 25;
    private static final double ACCELERATION_MPS2 = 9;
    private static final long ROLLING_GAP_MS = 500;
    private static final double ROLLING_PAST_LINE_M = 0.5;
    private static final long MAT_PERIOD_MS = 200;
    private static final double MAT_STEP_JUMP = 0.12;

    private final Track track;
    private final long periodMs;
    private final boolean timingJitter;
    private final double stepJump;
    private final SplittableRandom random;
    private final SimCar[] cars;

    /**
     * A start an hour ago, for a race published faster than it runs: its fixes stay behind the time
     * they reach Kafka, as recorded fixes do, however fast they are sent ({@code
     * telemetry.max-lead}).
     */
    public static long replayStart() {
        return System.currentTimeMillis() - 3_600_000L;
    }

    /**
     * A start early enough that all of {@code fixes} fixes of {@code cars} cars at {@code hz} are
     * behind the time they reach Kafka, however many there are: a recorded race replayed whole.
     */
    public static long replayStart(long fixes, int cars, int hz) {
        long raceMillis = fixes * 1_000L / ((long) cars * hz);
        return System.currentTimeMillis() - raceMillis - 60_000L;
    }

    /**
     * The demo's race: a rolling start, each car crossing the line half a second after the one in
     * front, the faster cars last, then {@code hz} fixes a second.
     */
    public RaceSimulation(Track track, int cars, int hz, long startMillis, long seed) {
        this(track, cars, checkedPeriod(cars, hz), true, 0, seed);
        for (int i = 0; i < cars; i++) {
            double pace = 1 - PACE_STEP * (cars - 1 - i);
            this.cars[i] =
                    new SimCar(
                            i,
                            pace,
                            ROLLING_PAST_LINE_M,
                            startMillis + ROLLING_GAP_MS * i,
                            TOP_SPEED_MPS * pace);
        }
    }

    private RaceSimulation(
            Track track,
            int cars,
            long periodMs,
            boolean timingJitter,
            double stepJump,
            long seed) {
        this.track = track;
        this.periodMs = periodMs;
        this.timingJitter = timingJitter;
        this.stepJump = stepJump;
        this.random = new SplittableRandom(seed);
        this.cars = new SimCar[cars];
    }

    /**
     * What the MAT stream generator publishes: every car from a standstill at the line at {@code
     * startMillis}, a fix every 200 ms, paces a few per cent apart in no particular order, and
     * jumpy steps.
     */
    public static RaceSimulation matFeed(Track track, int cars, long startMillis, long seed) {
        checkedPeriod(cars, 5);
        RaceSimulation race =
                new RaceSimulation(track, cars, MAT_PERIOD_MS, false, MAT_STEP_JUMP, seed);
        for (int i = 0; i < cars; i++) {
            double pace = 1 - race.random.nextDouble(0.05);
            race.cars[i] = new SimCar(i, pace, 0, startMillis, 0);
        }
        return race;
    }

    private static long checkedPeriod(int cars, int hz) {
        if (cars < 1 || hz < 1 || hz > 1000) {
            throw new IllegalArgumentException("need at least one car and 1..1000 fixes a second");
        }
        return Math.max(1, 1000 / hz);
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
        long jitter =
                timingJitter && periodMs >= 5
                        ? random.nextLong(-periodMs / 5, periodMs / 5 + 1)
                        : 0;
        long step = Math.max(1, periodMs + jitter);
        double seconds = step / 1000.0;
        double target = TOP_SPEED_MPS * car.pace * corner(car.distance);
        car.speed = Math.min(target, car.speed + ACCELERATION_MPS2 * seconds);
        double jump = stepJump == 0 ? 1 : 1 + random.nextDouble(-stepJump, stepJump);
        car.distance += car.speed * seconds * jump;
        car.nextTime += step;
        return fix;
    }

    /** How much of its top speed a car can carry where the track turns as it does here. */
    private double corner(double distance) {
        return 1 / (1 + CORNERING * track.turning(distance + TURN_WINDOW_M, TURN_WINDOW_M));
    }

    /** A receiver's resolution: 1e-7 degrees, about a centimetre. */
    private static double gps(double degrees) {
        return Math.round(degrees * 1e7) / 1e7;
    }

    private static final class SimCar {
        final int index;
        final double pace;
        double distance;
        long nextTime;
        double speed;

        SimCar(int index, double pace, double distance, long nextTime, double speed) {
            this.index = index;
            this.pace = pace;
            this.distance = distance;
            this.nextTime = nextTime;
            this.speed = speed;
        }
    }
}
