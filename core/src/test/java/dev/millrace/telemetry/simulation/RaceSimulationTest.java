package dev.millrace.telemetry.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.FinishLine;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.Geo;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.RaceRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaceSimulationTest {
    private static final long START = 1_767_261_600_000L;

    @Test
    void theDemoTrackIsAClosedLoopOfAboutThreeAndAHalfKilometres() {
        Track track = DemoTrack.TRACK;
        assertThat(track.length()).isBetween(3_000.0, 4_000.0);
        double[] start = track.position(0);
        double[] lapLater = track.position(track.length());
        assertThat(Geo.haversineMeters(start[0], start[1], lapLater[0], lapLater[1]))
                .isCloseTo(0, within(1e-6));
        double[] step = track.position(10);
        assertThat(Geo.haversineMeters(start[0], start[1], step[0], step[1]))
                .isCloseTo(10, within(0.01));
    }

    @Test
    void theDefaultFinishLineCrossesTheTrackAtItsStart() {
        Track track = DemoTrack.TRACK;
        double[] before = track.position(-1);
        double[] after = track.position(1);
        FinishLine.Crossing crossing =
                DemoTrack.FINISH_LINE.crossing(before[0], before[1], after[0], after[1]);
        assertThat(crossing).isNotNull();
        assertThat(crossing.fraction()).isCloseTo(0.5, within(0.05));
        assertThat(FinishLine.parse(DemoTrack.FINISH_LINE.toString()))
                .isEqualTo(DemoTrack.FINISH_LINE);
        assertThat(
                        dev.millrace.config.Config.defaults(
                                        dev.millrace.telemetry.TelemetrySettings.KEYS)
                                .get(dev.millrace.telemetry.TelemetrySettings.FINISH_LINE))
                .as("the default finish line is the demo track's")
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

    /** Five simulated minutes: every car laps at racing speed and faster cars overtake. */
    @Test
    void aSimulatedRaceHasRacingSpeedsLapsAndOvertakes() {
        RaceSimulation simulation = new RaceSimulation(DemoTrack.TRACK, 6, 10, START, 3);
        Race race = new Race(new RaceRules(Duration.ofSeconds(5), DemoTrack.FINISH_LINE));
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
        assertThat(speeds)
                .allSatisfy(s -> assertThat(s.value().doubleValue()).isBetween(140.0, 195.0));
        List<RaceEvent> laps = events.stream().filter(e -> e.type() == RaceEvent.Type.LAP).toList();
        assertThat(laps.stream().map(RaceEvent::carIndex).distinct()).hasSize(6);
        double lapAtPace = DemoTrack.TRACK.length() / 72.0 * 1000;
        assertThat(laps)
                .allSatisfy(
                        lap ->
                                assertThat(lap.lapTimeMs().doubleValue())
                                        .isBetween(lapAtPace * 0.9, lapAtPace * 1.1));
        assertThat(events).anyMatch(e -> e.type() == RaceEvent.Type.OVERTAKE);
        assertThat(events).anyMatch(e -> e.type() == RaceEvent.Type.FASTEST_LAP);
    }
}
