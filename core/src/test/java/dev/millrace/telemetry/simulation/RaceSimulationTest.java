package dev.millrace.telemetry.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.millrace.config.Config;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.FinishLine;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.Geo;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.TelemetrySettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaceSimulationTest {
    private static final long START = 1_767_261_600_000L;

    @Test
    void theDemoTrackIsTheSilverstoneOutlineOfTheMatGeneratorClosedOnItself() {
        Track track = DemoTrack.TRACK;
        assertThat(track.length()).isCloseTo(5_119.8, within(5.0));
        double[] start = track.position(0);
        assertThat(start[0]).isCloseTo(52.067695, within(1e-6));
        assertThat(start[1]).isCloseTo(-1.024164, within(1e-6));
        double[] lapLater = track.position(track.length());
        assertThat(Geo.haversineMeters(start[0], start[1], lapLater[0], lapLater[1]))
                .isCloseTo(0, within(1e-6));
        double[] step = track.position(10);
        assertThat(Geo.haversineMeters(start[0], start[1], step[0], step[1]))
                .isCloseTo(10, within(0.05));
        assertThat(track.turning(246, 25)).as("the start straight").isLessThan(0.05);
        double sharpest = 0;
        for (double s = 0; s < track.length(); s += 5) {
            sharpest = Math.max(sharpest, track.turning(s, 25));
        }
        assertThat(sharpest).as("its sharpest corner, in radians").isGreaterThan(1.0);
    }

    @Test
    void theDemoTracksLineCrossesTheTrackAtItsStart() {
        Track track = DemoTrack.TRACK;
        double[] before = track.position(-1);
        double[] after = track.position(1);
        FinishLine.Crossing crossing =
                DemoTrack.FINISH_LINE.crossing(before[0], before[1], after[0], after[1]);
        assertThat(crossing).isNotNull();
        assertThat(crossing.fraction()).isCloseTo(0.5, within(0.05));
        assertThat(FinishLine.parse(DemoTrack.FINISH_LINE.toString()))
                .isEqualTo(DemoTrack.FINISH_LINE);
    }

    @Test
    void fixesComeInTimeOrderAndEachCarReportsAtTheRateWithJitter() {
        RaceSimulation simulation = new RaceSimulation(DemoTrack.TRACK, 6, 10, START, 1);
        Map<Integer, Long> last = new HashMap<>();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 6_000; i++) {
            Fix fix = simulation.next();
            assertThat(fix.timestamp()).isGreaterThanOrEqualTo(previous);
            previous = fix.timestamp();
            Long carLast = last.put(fix.carIndex(), fix.timestamp());
            if (carLast != null) {
                assertThat(fix.timestamp() - carLast).isBetween(80L, 120L);
            }
        }
        assertThat(last).containsOnlyKeys(0, 1, 2, 3, 4, 5);
    }

    @Test
    void theSameSeedGivesTheSameRace() {
        RaceSimulation a = new RaceSimulation(DemoTrack.TRACK, 3, 10, START, 42);
        RaceSimulation b = new RaceSimulation(DemoTrack.TRACK, 3, 10, START, 42);
        for (int i = 0; i < 1_000; i++) {
            assertThat(a.next()).isEqualTo(b.next());
        }
    }

    /**
     * Five simulated minutes with the default rules (no line configured): every car laps at racing
     * speed, slowing in the corners, laps take about a minute and a half, and faster cars overtake.
     */
    @Test
    void aSimulatedRaceHasRacingSpeedsLapsAndOvertakes() {
        RaceSimulation simulation = new RaceSimulation(DemoTrack.TRACK, 6, 10, START, 3);
        Race race = new Race(TelemetrySettings.rules(Config.defaults(TelemetrySettings.KEYS)));
        List<CarStatus> speeds = new ArrayList<>();
        List<RaceEvent> events = new ArrayList<>();
        RaceListener listener =
                new RaceListener() {
                    @Override
                    public void status(CarStatus status) {
                        if (status.type() == CarStatus.Type.SPEED) {
                            speeds.add(status);
                        }
                    }

                    @Override
                    public void event(RaceEvent event) {
                        events.add(event);
                    }
                };
        for (int i = 0; i < 6 * 10 * 300; i++) {
            assertThat(race.accept(simulation.next(), listener)).isTrue();
        }
        assertThat(race.finishLine().distanceMeters(52.067695, -1.024164)).isLessThan(1.0);
        assertThat(speeds)
                .allSatisfy(s -> assertThat(s.value().doubleValue()).isBetween(30.0, 215.0));
        assertThat(speeds.stream().mapToDouble(s -> s.value().doubleValue()).max().orElseThrow())
                .as("flat out on the straights")
                .isGreaterThan(180);
        List<RaceEvent> laps = events.stream().filter(e -> e.type() == RaceEvent.Type.LAP).toList();
        assertThat(laps.stream().map(RaceEvent::carIndex).distinct()).hasSize(6);
        assertThat(laps)
                .allSatisfy(lap -> assertThat(lap.lapTimeMs()).isBetween(70_000L, 110_000L));
        assertThat(events.stream().filter(e -> e.type() == RaceEvent.Type.OVERTAKE)).isNotEmpty();
    }
}
