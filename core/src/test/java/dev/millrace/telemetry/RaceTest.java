package dev.millrace.telemetry;

import static dev.millrace.telemetry.CarStatus.position;
import static dev.millrace.telemetry.CarStatus.speed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RaceTest {
    /** Metres per degree of latitude: along a meridian Haversine is exactly R * Δφ. */
    private static final double M_PER_DEG = 111_195.08023353292;

    // An east-west line across the lane of car 0 at 52.0°N, west of the other lanes.
    private static final FinishLine LINE = new FinishLine(52.0, -1.0001, 52.0, -0.9999);
    private static final RaceRules RULES = new RaceRules(Duration.ofSeconds(5), LINE);

    private Race race;
    private RaceRecorder out;

    @BeforeEach
    void newRace() {
        race = new Race(RULES);
        out = new RaceRecorder();
    }

    /** A fix {@code metres} north of 51.9°N in the car's own lane (far from the line). */
    private static Fix at(int car, long time, double metres) {
        return new Fix(time, car, 51.9 + metres / M_PER_DEG, -0.9 - car * 0.001);
    }

    private boolean accept(Fix fix) {
        return race.accept(fix, out);
    }

    @Test
    void firstFixOfACarGivesItsPositionButNoSpeed() {
        accept(at(0, 1_000, 0));
        assertThat(out.statuses).containsExactly(position(1_000, 0, 1));
        assertThat(out.events).isEmpty();
    }

    @Test
    void speedIsHaversineOverTimeBetweenConsecutiveFixesInMph() {
        accept(at(0, 0, 0));
        accept(new Fix(1_000, 0, 51.9001, -0.9));
        accept(at(0, 1_500, 100 + 11.119508023353292));
        // 0.0001° of latitude in 1 s = 11.1195 m/s = 24.8736 mph; then 100 m in 0.5 s.
        assertThat(out.speeds()).containsExactly(speed(1_000, 0, 24.874), speed(1_500, 0, 447.387));
    }

    @Test
    void dropsFixNotNewerThanItsCarsLastOne() {
        accept(at(0, 1_000, 0));
        accept(at(0, 2_000, 20));
        out.clear();
        assertThat(accept(at(0, 1_500, 10))).isFalse();
        assertThat(accept(at(0, 2_000, 30))).isFalse();
        assertThat(out.statuses).isEmpty();
        assertThat(accept(at(0, 3_000, 40))).isTrue();
        assertThat(out.speeds()).containsExactly(speed(3_000, 0, 44.739));
    }

    @Test
    void aJoiningCarIsRankedAtTheWatermarkAndTiesKeepTheLowerIndexAhead() {
        accept(at(3, 0, 0));
        accept(at(1, 100, 0));
        // Both at distance 0: car 1 goes ahead of car 3, which is published as moved.
        assertThat(out.positions())
                .containsExactly(position(0, 3, 1), position(100, 1, 1), position(100, 3, 2));
        assertThat(out.events).as("joining is not overtaking").isEmpty();
    }

    /**
     * Car 0 reports on the second at 20 m/s, car 1 on the half second at 25 m/s from 500 ms behind.
     * Compared at equal times car 1 draws level at 2.5 s and leads from then on: one overtake.
     * Comparing each fresh fix with the other car's stale one would have flipped the order at 2.5
     * s, back at 3 s and again at 3.5 s.
     */
    @Test
    void ranksAtEqualEventTimeSoThatAPassGivesExactlyOneOvertake() {
        for (int k = 0; k <= 4; k++) {
            accept(at(0, 1_000L * k, 20.0 * k));
            accept(at(1, 500 + 1_000L * k, 26.0 * k));
        }
        assertThat(out.positions())
                .containsExactly(
                        position(0, 0, 1),
                        position(500, 1, 2),
                        // ranked at 2.5 s (50 m against 52 m), once car 0's fix at 3 s shows
                        // where it was at 2.5 s
                        position(2_500, 1, 1),
                        position(2_500, 0, 2));
        assertThat(out.events).containsExactly(RaceEvent.overtake(2_500, 1, 0));
        assertThat(out.events.get(0).text())
                .isEqualTo("Car 1 races ahead of Car 0 in a dramatic overtake.");
        assertThat(out.speeds())
                .hasSize(8)
                .allSatisfy(s -> assertThat(s.value()).isIn(44.739, 58.16));
    }

    @Test
    void lateFixesDoNotChangeTheOutcome() {
        // The same race, with two of car 0's fixes delivered again late, out of order.
        for (int k = 0; k <= 4; k++) {
            accept(at(0, 1_000L * k, 20.0 * k));
            if (k == 3) {
                assertThat(accept(at(0, 1_000, 20))).isFalse();
                assertThat(accept(at(0, 2_000, 40))).isFalse();
            }
            accept(at(1, 500 + 1_000L * k, 26.0 * k));
        }
        assertThat(out.events).containsExactly(RaceEvent.overtake(2_500, 1, 0));
    }

    @Test
    void aSilentCarStopsHoldingBackTheRankingAfterTheTimeout() {
        accept(at(0, 0, 0));
        accept(at(1, 0, 0));
        for (int k = 1; k <= 5; k++) {
            accept(at(1, 1_000L * k, 20.0 * k));
        }
        assertThat(out.positions())
                .as("car 0 still counts at 5 s: nothing is ranked past 0 ms")
                .containsExactly(position(0, 0, 1), position(0, 1, 2));
        accept(at(1, 6_000, 120));
        assertThat(out.positions()).endsWith(position(6_000, 1, 1), position(6_000, 0, 2));
        assertThat(out.events).containsExactly(RaceEvent.overtake(6_000, 1, 0));
        assertThat(race.watermark()).isEqualTo(6_000);
    }

    @Test
    void aCarPassingTwoCarsAtOnceOvertakesEach() {
        accept(at(0, 0, 0));
        accept(at(1, 0, 0));
        accept(at(2, 0, 0));
        accept(at(0, 1_000, 10));
        accept(at(1, 1_000, 10));
        accept(at(2, 1_000, 5));
        out.clear();
        accept(at(0, 2_000, 20));
        accept(at(1, 2_000, 21));
        accept(at(2, 2_000, 30));
        assertThat(out.positions())
                .as("car 1 stays second, so only cars 2 and 0 are published")
                .containsExactly(position(2_000, 2, 1), position(2_000, 0, 3));
        assertThat(out.events)
                .containsExactly(
                        RaceEvent.overtake(2_000, 2, 1),
                        RaceEvent.overtake(2_000, 2, 0),
                        RaceEvent.overtake(2_000, 1, 0));
    }

    @Test
    void lapsEndWhereThePathCrossesTheLineInterpolatedInTime() {
        accept(new Fix(0, 0, 51.9990, -1.0));
        accept(new Fix(1_000, 0, 51.9995, -1.0));
        // crosses 5/7 of the way from 1 000 to 2 000 ms: at 1 714.286 ms
        accept(new Fix(2_000, 0, 52.0002, -1.0));
        accept(new Fix(12_000, 0, 52.0002, -0.999));
        accept(new Fix(22_000, 0, 51.9995, -0.999));
        // back round: crosses at 30 000 + 0.5 * 1 400 ms = 30 700 ms
        accept(new Fix(30_000, 0, 51.9995, -1.0));
        accept(new Fix(31_400, 0, 52.0005, -1.0));
        assertThat(out.events)
                .containsExactly(
                        RaceEvent.lap(2_000, 0, 1, 1_714),
                        RaceEvent.fastestLap(2_000, 0, 1, 1_714),
                        RaceEvent.lap(31_400, 0, 2, 28_986));
        assertThat(out.events.get(0).text()).isEqualTo("Car 0 completed lap 1 in 0:01.714");
        assertThat(out.events.get(1).text()).isEqualTo("Car 0 set the fastest lap: 0:01.714");
        assertThat(out.events.get(2).text()).isEqualTo("Car 0 completed lap 2 in 0:28.986");
    }

    @Test
    void fastestLapIsAnnouncedWhenALapBeatsEveryLapSoFar() {
        accept(new Fix(0, 0, 51.9995, -1.0));
        for (int lap = 0; lap < 3; lap++) {
            long start = 200_000 + lap * 100_000L;
            // first lap slow, second faster, third slower again
            long north = lap == 1 ? 1_000 : 2_000;
            accept(new Fix(start, 0, 51.9995, -1.0));
            accept(new Fix(start + north, 0, 52.0002, -1.0));
            accept(new Fix(start + north + 10_000, 0, 52.0002, -0.999));
            accept(new Fix(start + north + 20_000, 0, 51.9995, -0.999));
        }
        assertThat(out.events)
                .extracting(RaceEvent::type)
                .containsExactly(
                        RaceEvent.Type.LAP,
                        RaceEvent.Type.FASTEST_LAP,
                        RaceEvent.Type.LAP,
                        RaceEvent.Type.FASTEST_LAP,
                        RaceEvent.Type.LAP);
        assertThat(out.events.get(3).text()).isEqualTo("Car 0 set the fastest lap: 1:39.286");
    }

    @Test
    void crossingBackOverTheLineIsPaidBackBeforeTheNextLap() {
        accept(new Fix(0, 0, 51.9995, -1.0));
        accept(new Fix(1_000, 0, 52.0005, -1.0)); // lap 1
        accept(new Fix(2_000, 0, 51.9995, -1.0)); // back over: owed
        accept(new Fix(3_000, 0, 52.0005, -1.0)); // pays the debt, no lap
        accept(new Fix(13_000, 0, 52.0005, -0.999));
        accept(new Fix(23_000, 0, 51.9995, -0.999));
        accept(new Fix(30_000, 0, 51.9995, -1.0));
        accept(new Fix(31_000, 0, 52.0005, -1.0)); // lap 2
        assertThat(out.events)
                .extracting(RaceEvent::type, RaceEvent::lap)
                .containsExactly(
                        tuple(RaceEvent.Type.LAP, 1),
                        tuple(RaceEvent.Type.FASTEST_LAP, 1),
                        tuple(RaceEvent.Type.LAP, 2));
    }

    @Test
    void lapTimeFormat() {
        assertThat(RaceEvent.lapTime(83_456)).isEqualTo("1:23.456");
        assertThat(RaceEvent.lapTime(5_007)).isEqualTo("0:05.007");
        assertThat(RaceEvent.lapTime(600_000)).isEqualTo("10:00.000");
    }
}
