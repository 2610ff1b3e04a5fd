package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.config.Config;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ten minutes of what the MAT Fan Engagement stream generator publishes (six cars from a standstill
 * at the line, a fix every 200 ms, tick-to-tick jumps of up to 12 %), judged with the default
 * settings: no finish line configured, the default pass margin and hold.
 */
class MatFeedTest {
    private static final long START = 1_767_261_600_000L;
    private static final int CARS = 6;
    private static final int FIXES = CARS * 5 * 600;

    private final Race race =
            new Race(TelemetrySettings.rules(Config.defaults(TelemetrySettings.KEYS)));
    private final List<Object> outputs = new ArrayList<>();
    private final RaceListener listener =
            new RaceListener() {
                @Override
                public void status(CarStatus status) {
                    outputs.add(status);
                }

                @Override
                public void event(RaceEvent event) {
                    outputs.add(event);
                }
            };
    // Each car's distance at each tick, from its fixes: what the cars really did.
    private final Map<Long, double[]> distances = new HashMap<>();

    private void run(long seed) {
        RaceSimulation feed = RaceSimulation.matFeed(DemoTrack.TRACK, CARS, START, seed);
        double[] travelled = new double[CARS];
        Fix[] last = new Fix[CARS];
        for (int i = 0; i < FIXES; i++) {
            Fix fix = feed.next();
            Fix before = last[fix.carIndex()];
            if (before != null) {
                travelled[fix.carIndex()] +=
                        Geo.haversineMeters(before.lat(), before.lon(), fix.lat(), fix.lon());
            }
            last[fix.carIndex()] = fix;
            distances.computeIfAbsent(fix.timestamp(), t -> new double[CARS])[fix.carIndex()] =
                    travelled[fix.carIndex()];
            assertThat(race.accept(fix, listener)).isTrue();
        }
    }

    private List<RaceEvent> events(RaceEvent.Type type) {
        return outputs.stream()
                .filter(o -> o instanceof RaceEvent e && e.type() == type)
                .map(o -> (RaceEvent) o)
                .toList();
    }

    @Test
    void everyLapIsAFullLapTimedFromTheStandingStartAtAPlacedLine() {
        run(11);

        assertThat(race.finishLine().distanceMeters(52.067695, -1.024164)).isLessThan(1.0);
        List<RaceEvent> laps = events(RaceEvent.Type.LAP);
        for (int car = 0; car < CARS; car++) {
            int index = car;
            assertThat(laps.stream().filter(l -> l.carIndex() == index).map(RaceEvent::lap))
                    .as("car %d's laps, numbered from 1", car)
                    .startsWith(1, 2, 3, 4, 5);
        }
        long median =
                laps.stream().mapToLong(RaceEvent::lapTimeMs).sorted().toArray()[laps.size() / 2];
        assertThat(median).isBetween(80_000L, 110_000L);
        assertThat(laps)
                .allSatisfy(
                        lap ->
                                assertThat(lap.lapTimeMs())
                                        .as(lap.text())
                                        .isBetween(median * 85 / 100, median * 115 / 100));
        assertThat(events(RaceEvent.Type.FASTEST_LAP))
                .allSatisfy(lap -> assertThat(lap.lapTimeMs()).isGreaterThan(median * 85 / 100));
    }

    @Test
    void closeCarsTradingPlacesFixByFixGiveOneOvertakePerPass() {
        run(11);

        List<RaceEvent> overtakes = events(RaceEvent.Type.OVERTAKE);
        int rawSwaps = rawSwaps();
        assertThat(overtakes).isNotEmpty();
        assertThat(rawSwaps)
                .as("the raw order flips far more often than a pass holds")
                .isGreaterThan(3 * overtakes.size());
        // A pass and its reversal are never closer than the hold: no flurry.
        Map<String, RaceEvent> lastBetween = new HashMap<>();
        for (RaceEvent overtake : overtakes) {
            int a = Math.min(overtake.carIndex(), overtake.overtaken());
            int b = Math.max(overtake.carIndex(), overtake.overtaken());
            RaceEvent previous = lastBetween.put(a + "/" + b, overtake);
            if (previous != null) {
                assertThat(overtake.timestamp() - previous.timestamp())
                        .as("%s after %s", overtake.text(), previous.text())
                        .isGreaterThanOrEqualTo(5_000);
            }
        }
    }

    @Test
    void positionsAndOvertakesAgree() {
        run(5);

        Map<Integer, Integer> rank = new HashMap<>();
        int checked = 0;
        for (Object output : outputs) {
            if (output instanceof CarStatus status && status.type() == CarStatus.Type.POSITION) {
                rank.put(status.carIndex(), status.value().intValue());
            } else if (output instanceof RaceEvent event
                    && event.type() == RaceEvent.Type.OVERTAKE) {
                assertThat(rank.get(event.carIndex()))
                        .as(event.text())
                        .isLessThan(rank.get(event.overtaken()));
                checked++;
            }
        }
        assertThat(checked).isPositive();
        assertThat(rank.values()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    }

    /** How often, tick by tick, one car's distance went from behind another's to ahead of it. */
    private int rawSwaps() {
        int swaps = 0;
        double[] previous = null;
        for (long t : distances.keySet().stream().sorted().toList()) {
            double[] now = distances.get(t);
            if (previous != null) {
                for (int a = 0; a < CARS; a++) {
                    for (int b = a + 1; b < CARS; b++) {
                        if (Math.signum(now[a] - now[b]) * Math.signum(previous[a] - previous[b])
                                < 0) {
                            swaps++;
                        }
                    }
                }
            }
            previous = now;
        }
        return swaps;
    }
}
