package dev.millrace.telemetry;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A race's state as bytes, for a state store or a checkpoint. A compact binary form rather than
 * JSON: the state is written once per fix, so its encoding sits on the hot path.
 */
public final class RaceCodec {
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 3 * Long.BYTES + Integer.BYTES;
    private static final int CAR =
            4 * Integer.BYTES + Long.BYTES + 4 * Double.BYTES + 2 * Integer.BYTES;

    private final RaceRules rules;

    public RaceCodec(RaceRules rules) {
        this.rules = rules;
    }

    public byte[] encode(Race race) {
        int size = HEADER;
        for (Race.Car car : race.cars()) {
            size += CAR + car.track.size * (Long.BYTES + Double.BYTES);
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.put(VERSION);
        buf.putLong(race.watermark());
        buf.putLong(race.latest());
        buf.putLong(race.fastestLapMs());
        buf.putInt(race.carCount());
        for (Race.Car car : race.cars()) {
            buf.putInt(car.index);
            buf.putInt(car.laps);
            buf.putInt(car.direction);
            buf.putInt(car.crossingsOwed);
            buf.putLong(car.lastTimestamp);
            buf.putDouble(car.lastLat);
            buf.putDouble(car.lastLon);
            buf.putDouble(car.distance);
            buf.putDouble(car.lapStart);
            buf.putInt(car.rank);
            buf.putInt(car.track.size);
            for (int i = 0; i < car.track.size; i++) {
                buf.putLong(car.track.times[i]);
                buf.putDouble(car.track.distances[i]);
            }
        }
        return buf.array();
    }

    public Race decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte version = buf.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown race state version " + version);
        }
        long watermark = buf.getLong();
        long latest = buf.getLong();
        long fastest = buf.getLong();
        int count = buf.getInt();
        List<Race.Car> cars = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int index = buf.getInt();
            int laps = buf.getInt();
            int direction = buf.getInt();
            int owed = buf.getInt();
            long lastTimestamp = buf.getLong();
            double lastLat = buf.getDouble();
            double lastLon = buf.getDouble();
            double distance = buf.getDouble();
            double lapStart = buf.getDouble();
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
            car.lastLat = lastLat;
            car.lastLon = lastLon;
            car.distance = distance;
            car.lapStart = lapStart;
            car.rank = rank;
            cars.add(car);
        }
        Race race = new Race(rules);
        race.restore(watermark, latest, fastest, cars);
        return race;
    }
}
