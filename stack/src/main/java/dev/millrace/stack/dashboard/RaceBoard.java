package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.Geo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The race as the dashboard shows it: each car's last fix, speed, position and laps (from {@code
 * telemetry.car-coordinates}, {@code telemetry.car-status} and {@code telemetry.events}), the
 * latest events, and the track, traced from the fixes of one car.
 */
final class RaceBoard {
    static final int EVENTS = 30;

    /** Spacing of the track's points: finer than a corner, coarse enough to stay small. */
    static final double TRACK_STEP_M = 15;

    static final int TRACK_MAX = 2000;

    /** The traced car is back at its start after this much driving: the track is closed. */
    private static final double LOOP_MIN_M = 1000;

    private final Map<Integer, Car> cars = new TreeMap<>();
    private final Recent<ObjectNode> events = new Recent<>(EVENTS);
    private final List<double[]> track = new ArrayList<>();
    private Integer tracedCar;
    private double traced;
    private boolean trackClosed;

    private static final class Car {
        final int index;
        double lat;
        double lon;
        long fixTime;
        Double speedMph;
        Integer position;
        int laps;
        Long lastLapMs;
        Long fastestLapMs;

        Car(int index) {
            this.index = index;
        }
    }

    synchronized void fix(Fix fix) {
        Car car = car(fix.carIndex());
        if (fix.timestamp() < car.fixTime) {
            return;
        }
        car.lat = fix.lat();
        car.lon = fix.lon();
        car.fixTime = fix.timestamp();
        trace(fix);
    }

    private void trace(Fix fix) {
        if (tracedCar == null) {
            tracedCar = fix.carIndex();
        }
        if (trackClosed || tracedCar != fix.carIndex() || track.size() >= TRACK_MAX) {
            return;
        }
        if (track.isEmpty()) {
            track.add(new double[] {fix.lat(), fix.lon()});
            return;
        }
        double[] last = track.get(track.size() - 1);
        double step = Geo.haversineMeters(last[0], last[1], fix.lat(), fix.lon());
        if (step < TRACK_STEP_M) {
            return;
        }
        track.add(new double[] {fix.lat(), fix.lon()});
        traced += step;
        double[] first = track.get(0);
        if (traced > LOOP_MIN_M
                && Geo.haversineMeters(first[0], first[1], fix.lat(), fix.lon())
                        < 2 * TRACK_STEP_M) {
            trackClosed = true;
        }
    }

    /** A {@code telemetry.car-status} value: SPEED in mph or POSITION, 1 the leader. */
    synchronized void status(JsonNode status) {
        Car car = car(status.path("carIndex").asInt());
        switch (status.path("type").asText()) {
            case "SPEED" -> car.speedMph = status.path("value").asDouble();
            case "POSITION" -> car.position = status.path("value").asInt();
            default -> {}
        }
    }

    /** A {@code telemetry.events} value: kept for the feed, and a lap counted for its car. */
    synchronized void event(JsonNode event) {
        ObjectNode shown = Json.mapper().createObjectNode();
        shown.put("timestamp", event.path("timestamp").asLong());
        shown.put("type", event.path("type").asText("OVERTAKE"));
        shown.put("text", event.path("text").asText());
        events.add(shown);
        if (!event.hasNonNull("carIndex") || !event.hasNonNull("lapTimeMs")) {
            return;
        }
        Car car = car(event.path("carIndex").asInt());
        long lapTime = event.path("lapTimeMs").asLong();
        if ("LAP".equals(event.path("type").asText())) {
            car.laps = Math.max(car.laps, event.path("lap").asInt());
            car.lastLapMs = lapTime;
        }
        if (car.fastestLapMs == null || lapTime < car.fastestLapMs) {
            car.fastestLapMs = lapTime;
        }
    }

    private Car car(int index) {
        return cars.computeIfAbsent(index, Car::new);
    }

    synchronized ObjectNode toJson() {
        ObjectNode race = Json.mapper().createObjectNode();
        ArrayNode board = race.putArray("cars");
        cars.values().stream()
                .sorted(
                        Comparator.comparing(
                                        (Car c) ->
                                                c.position == null ? Integer.MAX_VALUE : c.position)
                                .thenComparing(c -> c.index))
                .forEach(
                        c -> {
                            ObjectNode car = board.addObject();
                            car.put("car", c.index);
                            car.put("lat", c.lat);
                            car.put("lon", c.lon);
                            car.put("fixTime", c.fixTime);
                            putNullable(car, "position", c.position);
                            putNullable(car, "speedMph", c.speedMph);
                            car.put("laps", c.laps);
                            putNullable(car, "lastLapMs", c.lastLapMs);
                            putNullable(car, "fastestLapMs", c.fastestLapMs);
                        });
        ArrayNode points = race.putArray("track");
        track.forEach(p -> points.addArray().add(p[0]).add(p[1]));
        race.put("trackClosed", trackClosed);
        ArrayNode feed = race.putArray("events");
        events.newestFirst().forEach(feed::add);
        return race;
    }

    private static void putNullable(ObjectNode node, String field, Number value) {
        if (value == null) {
            node.putNull(field);
        } else if (value instanceof Double d) {
            node.put(field, d);
        } else {
            node.put(field, value.longValue());
        }
    }
}
