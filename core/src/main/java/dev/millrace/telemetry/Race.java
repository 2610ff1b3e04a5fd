package dev.millrace.telemetry;

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
 * compared with another car's stale one, and two cars passing each other swap ranks exactly once. A
 * car silent for longer than {@link RaceRules#carTimeout()} (in event time) no longer holds the
 * watermark back; its distance stays where it stopped.
 *
 * <p>Not thread-safe: one race is processed by one thread at a time.
 */
public final class Race {
    private final RaceRules rules;
    private final long carTimeoutMs;
    // Sorted by car index, so every iteration, and so every output, has one order.
    private final TreeMap<Integer, Car> cars = new TreeMap<>();
    private long watermark = Long.MIN_VALUE;
    private long latest = Long.MIN_VALUE;
    private long fastestLapMs = Long.MAX_VALUE;
    // The cars in index order, and scratch space for a ranking; rebuilt when a car joins.
    private Car[] inCarOrder = new Car[0];
    private Car[] standings = new Car[0];

    public Race(RaceRules rules) {
        this.rules = rules;
        this.carTimeoutMs = rules.carTimeout().toMillis();
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
        lap(car, fix, out);
        car.moveTo(fix, meters);
        latest = Math.max(latest, fix.timestamp());
        advance(out);
        return true;
    }

    /** A new car takes its place in the standings at the watermark, with no distance yet. */
    private void join(Car car, long timestamp, RaceListener out) {
        inCarOrder = cars.values().toArray(new Car[0]);
        standings = new Car[inCarOrder.length];
        rank(watermark == Long.MIN_VALUE ? timestamp : watermark);
        out.status(CarStatus.position(timestamp, car.index, car.rank));
        for (Car other : inCarOrder) {
            if (other != car && other.rank != other.previousRank) {
                out.status(CarStatus.position(timestamp, other.index, other.rank));
            }
        }
    }

    /** Moves the watermark to the oldest last fix of the active cars, ranking the cars there. */
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
        watermark = next;
        if (rank(watermark)) {
            for (Car car : standings) {
                if (car.rank != car.previousRank) {
                    out.status(CarStatus.position(watermark, car.index, car.rank));
                }
            }
            for (Car car : standings) {
                for (Car other : standings) {
                    if (other.rank > car.rank && other.previousRank < car.previousRank) {
                        out.event(RaceEvent.overtake(watermark, car.index, other.index));
                    }
                }
            }
        }
        for (Car car : inCarOrder) {
            car.track.dropBefore(watermark);
        }
    }

    /**
     * Ranks every car by its distance at {@code at}, a tie keeping the lower car index ahead, into
     * {@link #standings}; each car keeps its previous rank beside the new one.
     *
     * @return whether any rank changed
     */
    private boolean rank(long at) {
        int n = inCarOrder.length;
        for (int i = 0; i < n; i++) {
            Car car = inCarOrder[i];
            car.previousRank = car.rank;
            car.distanceAtRanking = car.track.distanceAt(at);
            // Insertion sort: a handful of cars, nearly always already in order.
            int j = i;
            while (j > 0 && ahead(car, standings[j - 1])) {
                standings[j] = standings[j - 1];
                j--;
            }
            standings[j] = car;
        }
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            standings[i].rank = i + 1;
            changed |= standings[i].rank != standings[i].previousRank;
        }
        return changed;
    }

    private static boolean ahead(Car a, Car b) {
        return a.distanceAtRanking > b.distanceAtRanking
                || (a.distanceAtRanking == b.distanceAtRanking && a.index < b.index);
    }

    /**
     * Completes a lap when the path from the car's last fix to this one crosses the finish line the
     * way the car first crossed it. Crossing back (a car spinning over the line) is owed: the next
     * crossing the right way only pays it back.
     */
    private void lap(Car car, Fix fix, RaceListener out) {
        FinishLine.Crossing crossing =
                rules.finishLine().crossing(car.lastLat, car.lastLon, fix.lat(), fix.lon());
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
        long lapMs = Math.round(crossedAt - car.lapStart);
        car.lapStart = crossedAt;
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

    /** The instant the current positions were ranked at, or {@link Long#MIN_VALUE} before any. */
    public long watermark() {
        return watermark;
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

    void restore(long watermark, long latest, long fastestLapMs, List<Car> restored) {
        this.watermark = watermark;
        this.latest = latest;
        this.fastestLapMs = fastestLapMs;
        cars.clear();
        for (Car car : restored) {
            cars.put(car.index, car);
        }
        inCarOrder = cars.values().toArray(new Car[0]);
        standings = new Car[inCarOrder.length];
    }

    /** One car's state. Fields are package-private for {@link RaceCodec}. */
    static final class Car {
        final int index;
        long lastTimestamp;
        double lastLat;
        double lastLon;
        double distance;
        double lapStart;
        int laps;
        int direction;
        int crossingsOwed;
        int rank;
        final Track track;
        // Scratch values of a ranking, never stored.
        int previousRank;
        double distanceAtRanking;

        Car(Fix first) {
            this.index = first.carIndex();
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
     * watermark, which is all a ranking at or after the watermark needs.
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
