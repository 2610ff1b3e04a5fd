package dev.millrace.telemetry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A race's state as bytes, for a state store or a checkpoint. A compact binary form rather than
 * JSON: the state is written once per fix, so its encoding sits on the hot path.
 */
public final class RaceCodec {
    private static final byte VERSION = 2;
    private static final int HEADER = 1 + 3 * Long.BYTES + 4 * Double.BYTES + 3 * Integer.BYTES;
    private static final int PASS = 2 * Integer.BYTES + Long.BYTES;
    private static final int CAR =
            4 * Integer.BYTES + Long.BYTES + 7 * Double.BYTES + 3 * Integer.BYTES;

    private final RaceRules rules;

    public RaceCodec(RaceRules rules) {
        this.rules = rules;
    }

    public byte[] encode(Race race) {
        int size = HEADER + race.passes().size() * PASS;
        for (Race.Car car : race.cars()) {
            size += CAR + car.track.size * (Long.BYTES + Double.BYTES);
        }
        Writer out = new Writer(new byte[size]);
        out.bytes[out.at++] = VERSION;
        out.putLong(race.watermark());
        out.putLong(race.latest());
        out.putLong(race.fastestLapMs());
        double[] line =
                race.finishLine() == null
                        ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                        : race.finishLine().ends();
        for (double end : line) {
            out.putDouble(end);
        }
        out.putInt(race.firstCar());
        out.putInt(race.passes().size());
        for (Race.Pass pass : race.passes()) {
            out.putInt(pass.passer);
            out.putInt(pass.passed);
            out.putLong(pass.since);
        }
        out.putInt(race.carCount());
        for (Race.Car car : race.cars()) {
            out.putInt(car.index);
            out.putInt(car.laps);
            out.putInt(car.direction);
            out.putInt(car.crossingsOwed);
            out.putLong(car.lastTimestamp);
            out.putDouble(car.firstLat);
            out.putDouble(car.firstLon);
            out.putDouble(car.lastLat);
            out.putDouble(car.lastLon);
            out.putDouble(car.distance);
            out.putDouble(car.lapStart);
            out.putDouble(car.lapStartDistance);
            out.putInt(car.timed ? 1 : 0);
            out.putInt(car.rank);
            out.putInt(car.track.size);
            for (int i = 0; i < car.track.size; i++) {
                out.putLong(car.track.times[i]);
                out.putDouble(car.track.distances[i]);
            }
        }
        return out.bytes;
    }

    /** Big-endian writes straight into the array, as {@link ByteBuffer} reads them back. */
    private static final class Writer {
        private static final VarHandle LONG =
                MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle INT =
                MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

        final byte[] bytes;
        int at;

        Writer(byte[] bytes) {
            this.bytes = bytes;
        }

        void putLong(long v) {
            LONG.set(bytes, at, v);
            at += Long.BYTES;
        }

        void putDouble(double v) {
            putLong(Double.doubleToRawLongBits(v));
        }

        void putInt(int v) {
            INT.set(bytes, at, v);
            at += Integer.BYTES;
        }
    }

    public Race decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte version = buf.get();
        if (version != VERSION) {
            throw new IllegalArgumentException(
                    "race state of version "
                            + version
                            + ", this version reads "
                            + VERSION
                            + ": recompute the race with `millrace reset telemetry`");
        }
        long watermark = buf.getLong();
        long latest = buf.getLong();
        long fastest = buf.getLong();
        double[] ends = {buf.getDouble(), buf.getDouble(), buf.getDouble(), buf.getDouble()};
        FinishLine line =
                Double.isNaN(ends[0]) ? null : new FinishLine(ends[0], ends[1], ends[2], ends[3]);
        int firstCar = buf.getInt();
        int passCount = buf.getInt();
        List<Race.Pass> passes = new ArrayList<>(passCount);
        for (int p = 0; p < passCount; p++) {
            passes.add(new Race.Pass(buf.getInt(), buf.getInt(), buf.getLong()));
        }
        int count = buf.getInt();
        List<Race.Car> cars = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int index = buf.getInt();
            int laps = buf.getInt();
            int direction = buf.getInt();
            int owed = buf.getInt();
            long lastTimestamp = buf.getLong();
            double firstLat = buf.getDouble();
            double firstLon = buf.getDouble();
            double lastLat = buf.getDouble();
            double lastLon = buf.getDouble();
            double distance = buf.getDouble();
            double lapStart = buf.getDouble();
            double lapStartDistance = buf.getDouble();
            boolean timed = buf.getInt() == 1;
            int rank = buf.getInt();
            int points = buf.getInt();
            Race.Track track = new Race.Track(Math.max(4, points));
            for (int i = 0; i < points; i++) {
                track.add(buf.getLong(), buf.getDouble());
            }
            Race.Car car = new Race.Car(index, track);
            car.laps = laps;
            car.direction = direction;
            car.crossingsOwed = owed;
            car.lastTimestamp = lastTimestamp;
            car.firstLat = firstLat;
            car.firstLon = firstLon;
            car.lapStartDistance = lapStartDistance;
            car.timed = timed;
            car.lastLat = lastLat;
            car.lastLon = lastLon;
            car.distance = distance;
            car.lapStart = lapStart;
            car.rank = rank;
            cars.add(car);
        }
        Race race = new Race(rules);
        race.restore(watermark, latest, fastest, line, firstCar, cars, passes);
        return race;
    }
}
