package dev.millrace.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The state of one race and the rules that turn its fixes into speeds, positions, overtakes and
 * laps. Feed it the race's fixes in log order; the outputs depend only on that sequence, so
 * replaying a log reproduces them exactly.
 *
 * <p>Positions are ranks by cumulative distance, compared at one instant for every car: the
 * <em>watermark</em>, the latest time every active car has reported past. Each car's distance at
 * the watermark is interpolated between the two fixes around it, so a car's fresh fix is never
 * compared with another car's stale one. A car silent for longer than {@link
 * RaceRules#carTimeout()} (in event time) no longer holds the watermark back; its distance stays
 * where it stopped.
 *
 * <p>A pass counts once it holds: the passing car has got {@link RaceRules#passMargin()} metres
 * ahead, or has stayed ahead for {@link RaceRules#passHold()}. Then the two cars swap positions and
 * one overtake is announced, both stamped with the instant the passing car drew level; a pass
 * undone before it holds is none. Noisy fixes of two close cars therefore give one overtake per
 * pass, and positions and overtakes always agree.
 *
 * <p>Laps are timed at the start/finish line: the configured one, or one placed through the race's
 * first fix across the direction of travel, kept with the race. A car whose first fix is at the
 * line (a standing start) times lap 1 from that fix; any other car starts timing when it first
 * crosses the line, so a partial lap is never a lap.
 *
 * <p>Not thread-safe: one race is processed by one thread at a time.
 */
public final class Race {
    /** A first fix this close to the line is a standing start: lap 1 is timed from it. */
    static final double STANDING_START_M = 10;

    /** A crossing this soon after a lap started is the start itself (a grid behind the line). */
    static final double MIN_LAP_M = 200;

    /** Half the width of a placed start/finish line, wider than any track. */
    static final double PLACED_LINE_HALF_WIDTH_M = 30;

    /** How far the first car must move to show the direction of travel. */
    static final double DIRECTION_M = 1;

    private final long carTimeoutMs;
    private final double passMarginM;
    private final long passHoldMs;
    // Sorted by car index, so every iteration, and so every output, has one order.
    private final TreeMap<Integer, Car> cars = new TreeMap<>();
    private final List<Pass> passes = new ArrayList<>();
    private FinishLine line;
    private int firstCar = -1;
    private long watermark = Long.MIN_VALUE;
    private long latest = Long.MIN_VALUE;
    private long fastestLapMs = Long.MAX_VALUE;
    // The cars in index order, and in standing order (rank 1 first); rebuilt when a car joins.
    private Car[] inCarOrder = new Car[0];
    private Car[] standings = new Car[0];

    public Race(RaceRules rules) {
        this.carTimeoutMs = rules.carTimeout().toMillis();
        this.passMarginM = rules.passMargin();
        this.passHoldMs = rules.passHold().toMillis();
        this.line = rules.finishLine();
    }

    /**
     * Applies one fix.
     *
     * @return false when the fix was dropped because it is not newer than its car's last one
     */
    public boolean accept(Fix fix, RaceListener out) {
        Car car = cars.get(fix.carIndex());
        if (car == null) {
            car = new Car(fix);
            cars.put(fix.carIndex(), car);
            if (line != null) {
                startTiming(car);
            } else if (firstCar < 0) {
                firstCar = car.index;
            }
            latest = Math.max(latest, fix.timestamp());
            join(car, fix.timestamp(), out);
            advance(out);
            return true;
        }
        if (fix.timestamp() <= car.lastTimestamp) {
            return false;
        }
        double meters = Geo.haversineMeters(car.lastLat, car.lastLon, fix.lat(), fix.lon());
        long millis = fix.timestamp() - car.lastTimestamp;
        out.status(CarStatus.speed(fix.timestamp(), car.index, round3(Geo.mph(meters, millis))));
        if (line == null && car.index == firstCar) {
            placeLine(car, fix, out);
        }
        if (line != null) {
            lap(car, fix, meters, out);
        }
        car.moveTo(fix, meters);
        latest = Math.max(latest, fix.timestamp());
        advance(out);
        return true;
    }

    /**
     * With no line configured, the line goes through the race's first fix, across the way its car
     * then moves; every car that started at it times lap 1 from its first fix.
     */
    private void placeLine(Car first, Fix fix, RaceListener out) {
        if (Geo.haversineMeters(first.firstLat, first.firstLon, fix.lat(), fix.lon())
                < DIRECTION_M) {
            return;
        }
        line =
                FinishLine.across(
                        first.firstLat,
                        first.firstLon,
                        fix.lat(),
                        fix.lon(),
                        PLACED_LINE_HALF_WIDTH_M);
        for (Car car : inCarOrder) {
            startTiming(car);
        }
        out.finishLinePlaced(line, fix.timestamp());
    }

    /** A car at the line at its first fix is timed from it; any other from its first crossing. */
    private void startTiming(Car car) {
        car.timed = line.distanceMeters(car.firstLat, car.firstLon) <= STANDING_START_M;
    }

    /** A new car takes its place in the standings at the watermark, by its distance there. */
    private void join(Car car, long timestamp, RaceListener out) {
        inCarOrder = cars.values().toArray(new Car[0]);
        long at = watermark == Long.MIN_VALUE ? timestamp : watermark;
        car.distanceNow = car.track.distanceAt(at);
        Car[] joined = new Car[standings.length + 1];
        int next = 0;
        boolean placed = false;
        for (Car other : standings) {
            other.distanceNow = other.track.distanceAt(at);
            if (!placed && ahead(car, other)) {
                car.rank = next + 1;
                joined[next++] = car;
                placed = true;
            }
            joined[next++] = other;
        }
        if (!placed) {
            car.rank = next + 1;
            joined[next] = car;
        }
        standings = joined;
        out.status(CarStatus.position(timestamp, car.index, car.rank));
        for (int i = 0; i < standings.length; i++) {
            standings[i].changedAt = standings[i].rank == i + 1 ? Long.MIN_VALUE : timestamp;
            standings[i].rank = i + 1;
        }
        for (Car other : inCarOrder) {
            if (other != car && other.changedAt != Long.MIN_VALUE) {
                out.status(CarStatus.position(timestamp, other.index, other.rank));
            }
        }
    }

    /** Moves the watermark to the oldest last fix of the active cars and judges passes there. */
    private void advance(RaceListener out) {
        long next = Long.MAX_VALUE;
        long activeSince = latest - carTimeoutMs;
        for (Car car : inCarOrder) {
            if (car.lastTimestamp >= activeSince) {
                next = Math.min(next, car.lastTimestamp);
            }
        }
        if (next <= watermark || next == Long.MAX_VALUE) {
            return;
        }
        long previous = watermark;
        watermark = next;
        for (Car car : inCarOrder) {
            car.distanceNow = car.track.distanceAt(watermark);
            car.distanceBefore =
                    previous == Long.MIN_VALUE ? car.distanceNow : car.track.distanceAt(previous);
        }
        judgePasses(previous, out);
        for (Car car : inCarOrder) {
            car.track.dropBefore(watermark);
        }
    }

    /**
     * Each car directly behind another that is ahead on distance is passing it; the pass counts
     * once it holds, and the standings change then. Repeats until no pass counts, so a car can pass
     * several others at once.
     */
    private void judgePasses(long previous, RaceListener out) {
        List<RaceEvent> overtakes = null;
        for (Car car : standings) {
            car.changedAt = Long.MIN_VALUE;
        }
        boolean counted = true;
        while (counted) {
            counted = false;
            for (int i = 0; i + 1 < standings.length; i++) {
                Car ahead = standings[i];
                Car behind = standings[i + 1];
                double lead = behind.distanceNow - ahead.distanceNow;
                Pass pass = pending(behind, ahead);
                if (lead <= 0) {
                    if (pass != null) {
                        passes.remove(pass);
                    }
                    continue;
                }
                if (pass == null) {
                    pass = new Pass(behind.index, ahead.index, level(previous, behind, ahead));
                    passes.add(pass);
                }
                if (lead >= passMarginM || watermark - pass.since >= passHoldMs) {
                    passes.remove(pass);
                    standings[i] = behind;
                    standings[i + 1] = ahead;
                    behind.changedAt = Math.max(behind.changedAt, pass.since);
                    ahead.changedAt = Math.max(ahead.changedAt, pass.since);
                    if (overtakes == null) {
                        overtakes = new ArrayList<>(2);
                    }
                    overtakes.add(RaceEvent.overtake(pass.since, behind.index, ahead.index));
                    counted = true;
                }
            }
        }
        // Only a car directly behind another can pass it.
        passes.removeIf(pass -> !behindEachOther(pass));
        if (overtakes == null) {
            return;
        }
        for (int i = 0; i < standings.length; i++) {
            Car car = standings[i];
            if (car.rank != i + 1) {
                car.rank = i + 1;
                out.status(CarStatus.position(car.changedAt, car.index, car.rank));
            }
        }
        overtakes.forEach(out::event);
    }

    /**
     * When {@code behind} drew level with {@code ahead}, between the last watermark and this one.
     */
    private long level(long previous, Car behind, Car ahead) {
        double leadBefore = behind.distanceBefore - ahead.distanceBefore;
        double leadNow = behind.distanceNow - ahead.distanceNow;
        if (previous == Long.MIN_VALUE || leadBefore >= 0 || leadNow <= leadBefore) {
            return previous == Long.MIN_VALUE ? watermark : previous;
        }
        double f = -leadBefore / (leadNow - leadBefore);
        return previous + Math.round(f * (watermark - previous));
    }

    private Pass pending(Car behind, Car ahead) {
        for (Pass pass : passes) {
            if (pass.passer == behind.index && pass.passed == ahead.index) {
                return pass;
            }
        }
        return null;
    }

    private boolean behindEachOther(Pass pass) {
        for (int i = 0; i + 1 < standings.length; i++) {
            if (standings[i].index == pass.passed && standings[i + 1].index == pass.passer) {
                return true;
            }
        }
        return false;
    }

    private static boolean ahead(Car a, Car b) {
        return a.distanceNow > b.distanceNow
                || (a.distanceNow == b.distanceNow && a.index < b.index);
    }

    /**
     * Completes a lap when the path from the car's last fix to this one crosses the finish line the
     * way the car first crossed it. Crossing back (a car spinning over the line) is owed: the next
     * crossing the right way only pays it back. A car not yet timed starts its first lap there.
     */
    private void lap(Car car, Fix fix, double meters, RaceListener out) {
        FinishLine.Crossing crossing =
                line.crossing(car.lastLat, car.lastLon, fix.lat(), fix.lon());
        if (crossing == null) {
            return;
        }
        if (car.direction == 0) {
            car.direction = crossing.direction();
        }
        if (crossing.direction() != car.direction) {
            car.crossingsOwed++;
            return;
        }
        if (car.crossingsOwed > 0) {
            car.crossingsOwed--;
            return;
        }
        double crossedAt =
                car.lastTimestamp + crossing.fraction() * (fix.timestamp() - car.lastTimestamp);
        double crossedDistance = car.distance + crossing.fraction() * meters;
        if (!car.timed) {
            car.timed = true;
            car.lapStart = crossedAt;
            car.lapStartDistance = crossedDistance;
            return;
        }
        if (crossedDistance - car.lapStartDistance < MIN_LAP_M) {
            // Leaving a grid just behind the line: the lap timed from the first fix goes on.
            return;
        }
        long lapMs = Math.round(crossedAt - car.lapStart);
        car.lapStart = crossedAt;
        car.lapStartDistance = crossedDistance;
        car.laps++;
        out.event(RaceEvent.lap(fix.timestamp(), car.index, car.laps, lapMs));
        if (lapMs < fastestLapMs) {
            fastestLapMs = lapMs;
            out.event(RaceEvent.fastestLap(fix.timestamp(), car.index, car.laps, lapMs));
        }
    }

    private static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    public int carCount() {
        return cars.size();
    }

    /** The instant the current positions were judged at, or {@link Long#MIN_VALUE} before any. */
    public long watermark() {
        return watermark;
    }

    /** The start/finish line: the configured one, the placed one, or null until it is placed. */
    public FinishLine finishLine() {
        return line;
    }

    // State access for RaceCodec.

    Collection<Car> cars() {
        return cars.values();
    }

    long latest() {
        return latest;
    }

    long fastestLapMs() {
        return fastestLapMs;
    }

    int firstCar() {
        return firstCar;
    }

    List<Pass> passes() {
        return passes;
    }

    void restore(
            long watermark,
            long latest,
            long fastestLapMs,
            FinishLine line,
            int firstCar,
            List<Car> restored,
            List<Pass> pending) {
        this.watermark = watermark;
        this.latest = latest;
        this.fastestLapMs = fastestLapMs;
        if (this.line == null) {
            // The configured line wins; none configured, the race keeps the one it placed.
            this.line = line;
        }
        this.firstCar = firstCar;
        cars.clear();
        for (Car car : restored) {
            cars.put(car.index, car);
        }
        inCarOrder = cars.values().toArray(new Car[0]);
        standings = inCarOrder.clone();
        Arrays.sort(standings, (a, b) -> Integer.compare(a.rank, b.rank));
        passes.clear();
        passes.addAll(pending);
    }

    /**
     * A pass under way: {@code passer} has been ahead of {@code passed} on distance since it drew
     * level at {@code since}, without the pass holding yet.
     */
    static final class Pass {
        final int passer;
        final int passed;
        final long since;

        Pass(int passer, int passed, long since) {
            this.passer = passer;
            this.passed = passed;
            this.since = since;
        }
    }

    /** One car's state. Fields are package-private for {@link RaceCodec}. */
    static final class Car {
        final int index;
        double firstLat;
        double firstLon;
        long lastTimestamp;
        double lastLat;
        double lastLon;
        double distance;
        boolean timed;
        double lapStart;
        double lapStartDistance;
        int laps;
        int direction;
        int crossingsOwed;
        int rank;
        final Track track;
        // Scratch values of a judgement, never stored.
        double distanceNow;
        double distanceBefore;
        long changedAt = Long.MIN_VALUE;

        Car(Fix first) {
            this.index = first.carIndex();
            this.firstLat = first.lat();
            this.firstLon = first.lon();
            this.lastTimestamp = first.timestamp();
            this.lastLat = first.lat();
            this.lastLon = first.lon();
            this.lapStart = first.timestamp();
            this.track = new Track(4);
            track.add(first.timestamp(), 0);
        }

        Car(int index, Track track) {
            this.index = index;
            this.track = track;
        }

        void moveTo(Fix fix, double meters) {
            distance += meters;
            lastTimestamp = fix.timestamp();
            lastLat = fix.lat();
            lastLon = fix.lon();
            track.add(fix.timestamp(), distance);
        }
    }

    /**
     * A car's cumulative distance over time: its fixes back to the last one at or before the
     * watermark, which is all a judgement at or after the watermark needs.
     */
    static final class Track {
        long[] times;
        double[] distances;
        int size;

        Track(int capacity) {
            times = new long[capacity];
            distances = new double[capacity];
        }

        void add(long time, double distance) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                distances = Arrays.copyOf(distances, size * 2);
            }
            times[size] = time;
            distances[size] = distance;
            size++;
        }

        double distanceAt(long time) {
            if (time <= times[0]) {
                return distances[0];
            }
            if (time >= times[size - 1]) {
                return distances[size - 1];
            }
            int i = Arrays.binarySearch(times, 0, size, time);
            if (i >= 0) {
                return distances[i];
            }
            int after = -i - 1;
            int before = after - 1;
            double f = (double) (time - times[before]) / (times[after] - times[before]);
            return distances[before] + f * (distances[after] - distances[before]);
        }

        /** Forgets the points before the last one at or before {@code time}. */
        void dropBefore(long time) {
            int keep = 0;
            while (keep + 1 < size && times[keep + 1] <= time) {
                keep++;
            }
            if (keep > 0) {
                System.arraycopy(times, keep, times, 0, size - keep);
                System.arraycopy(distances, keep, distances, 0, size - keep);
                size -= keep;
            }
        }
    }
}
