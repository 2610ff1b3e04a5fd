package dev.millrace.telemetry;

import static dev.millrace.telemetry.CarStatus.position;
import static dev.millrace.telemetry.CarStatus.speed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RaceTest {
    /** Metres per degree of latitude: along a meridian Haversine is exactly R * Δφ. */
    private static final double M_PER_DEG = 111_195.08023353292;

    // An east-west line across the lane of car 0 at 52.0°N, west of the other lanes.
    private static final FinishLine LINE = new FinishLine(52.0, -1.0001, 52.0, -0.9999);
    private static final RaceRules RULES =
            new RaceRules(Duration.ofSeconds(5), LINE, 10, Duration.ofSeconds(5));

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
     * Car 0 reports on the second at 20 m/s, car 1 on the half second at 26 m/s from 500 ms behind.
     * Compared at equal times car 1 draws level at 2 167 ms and leads from then on: one overtake,
     * announced once it is 10 m ahead (at 4 s) and stamped where it drew level. Comparing each
     * fresh fix with the other car's stale one would have flipped the order at 2.5 s, back at 3 s
     * and again at 3.5 s.
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
                        // level between 2 s (40 m against 39 m) and 2.5 s (50 m against 52 m)
                        position(2_167, 1, 1),
                        position(2_167, 0, 2));
        assertThat(out.events).containsExactly(RaceEvent.overtake(2_167, 1, 0));
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
        assertThat(out.events).containsExactly(RaceEvent.overtake(2_167, 1, 0));
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
        // Judged at 6 s, when car 0 stops counting; car 1 left it behind from 0 ms on.
        assertThat(out.positions()).endsWith(position(0, 1, 1), position(0, 0, 2));
        assertThat(out.events).containsExactly(RaceEvent.overtake(0, 1, 0));
        assertThat(race.watermark()).isEqualTo(6_000);
    }

    @Test
    void aCarPassingTwoCarsAtOnceOvertakesEachStampedWhereItDrewLevel() {
        accept(at(0, 0, 0));
        accept(at(1, 0, 0));
        accept(at(2, 0, 0));
        accept(at(0, 1_000, 10));
        accept(at(1, 1_000, 10));
        accept(at(2, 1_000, 5));
        out.clear();
        accept(at(0, 2_000, 20));
        accept(at(1, 2_000, 21));
        accept(at(2, 2_000, 45));
        // Car 2 draws level with car 1 at 1 172 ms (5 m behind, 24 ahead a second later) and with
        // car 0 at 1 167 ms; car 1 is 1 m ahead of car 0, under the margin: no pass yet.
        assertThat(out.events)
                .containsExactly(RaceEvent.overtake(1_172, 2, 1), RaceEvent.overtake(1_167, 2, 0));
        assertThat(out.positions())
                .containsExactly(
                        position(1_172, 2, 1), position(1_167, 0, 2), position(1_172, 1, 3));
    }

    /**
     * Two cars side by side whose noisy fixes put first one, then the other, ahead by a few metres:
     * no pass holds, so the order stays and nothing is announced. Then car 1 pulls away: one
     * overtake, stamped where it last drew level.
     */
    @Test
    void aPassUndoneBeforeItHoldsIsNone() {
        double[] lead = {0, 3, -2, 4, -1, 2, -3, 1, -2, 3};
        for (int k = 0; k < lead.length; k++) {
            accept(at(0, 500L * k, 10.0 * k));
            accept(at(1, 500L * k, 10.0 * k + lead[k]));
        }
        accept(at(0, 5_000, 100));
        accept(at(1, 5_000, 99));
        assertThat(out.events).isEmpty();
        assertThat(out.positions()).containsExactly(position(0, 0, 1), position(0, 1, 2));

        accept(at(0, 5_500, 110));
        accept(at(1, 5_500, 111));
        accept(at(0, 6_000, 120));
        accept(at(1, 6_000, 132));
        // Level at 5 000 + 1/2 * 500 ms, 12 m ahead at 6 s.
        assertThat(out.events).containsExactly(RaceEvent.overtake(5_250, 1, 0));
        assertThat(out.positions()).endsWith(position(5_250, 1, 1), position(5_250, 0, 2));
    }

    @Test
    void aPassThatStaysUnderTheMarginCountsOnceItHasHeld() {
        double[] car1 = {0, 19, 42, 62, 82, 102, 122, 142};
        for (int k = 0; k < car1.length; k++) {
            accept(at(0, 1_000L * k, 20.0 * k));
            accept(at(1, 1_000L * k, car1[k]));
            if (k == 6) {
                assertThat(out.events).as("2 m ahead for 4.7 s: not yet").isEmpty();
            }
        }
        // 1 m behind at 1 s, 2 m ahead at 2 s: level at 1 333 ms; the pass holds 5 s later.
        assertThat(out.events).containsExactly(RaceEvent.overtake(1_333, 1, 0));
        assertThat(out.positions()).endsWith(position(1_333, 1, 1), position(1_333, 0, 2));
    }

    /** From a standing start at the line: lap 1 is timed from the first fix. */
    @Test
    void aStandingStartTimesLapOneFromTheFirstFix() {
        accept(new Fix(0, 0, 51.99997, -1.0)); // 3.3 m short of the line
        accept(new Fix(1_000, 0, 52.0002, -1.0)); // over it: the start, not a lap
        accept(new Fix(12_000, 0, 52.0002, -0.999));
        accept(new Fix(22_000, 0, 51.9995, -0.999));
        accept(new Fix(30_000, 0, 51.9995, -1.0));
        // crosses at 30 000 + 5/7 * 1 000 ms = 30 714 ms
        accept(new Fix(31_000, 0, 52.0002, -1.0));
        assertThat(out.events)
                .containsExactly(
                        RaceEvent.lap(31_000, 0, 1, 30_714),
                        RaceEvent.fastestLap(31_000, 0, 1, 30_714));
        assertThat(out.events.get(0).text()).isEqualTo("Car 0 completed lap 1 in 0:30.714");
        assertThat(out.events.get(1).text()).isEqualTo("Car 0 set the fastest lap: 0:30.714");
    }

    /**
     * Joining mid-lap, a car's timing starts where it first crosses the line: the part lap before
     * is neither a lap nor a fastest lap. Laps end where the path crosses the line, interpolated.
     */
    @Test
    void aCarJoiningMidLapIsTimedFromItsFirstCrossing() {
        accept(new Fix(0, 0, 51.9990, -1.0));
        accept(new Fix(1_000, 0, 51.9995, -1.0));
        // crosses 5/7 of the way from 1 000 to 2 000 ms: at 1 714.286 ms; the timing starts
        accept(new Fix(2_000, 0, 52.0002, -1.0));
        accept(new Fix(12_000, 0, 52.0002, -0.999));
        accept(new Fix(22_000, 0, 51.9995, -0.999));
        // back round: crosses at 30 000 + 0.5 * 1 400 ms = 30 700 ms
        accept(new Fix(30_000, 0, 51.9995, -1.0));
        accept(new Fix(31_400, 0, 52.0005, -1.0));
        assertThat(out.events)
                .containsExactly(
                        RaceEvent.lap(31_400, 0, 1, 28_986),
                        RaceEvent.fastestLap(31_400, 0, 1, 28_986));
    }

    @Test
    void withNoLineConfiguredTheRacePlacesOneThroughItsFirstFixAcrossTheWayItsCarMoves() {
        race = new Race(new RaceRules(Duration.ofSeconds(5), null));
        accept(new Fix(0, 0, 51.9995, -1.0));
        accept(new Fix(0, 1, 51.9990, -0.9999)); // 55 m behind, in the next lane
        assertThat(race.finishLine()).isNull();
        accept(new Fix(1_000, 0, 52.0005, -1.0)); // car 0 heads north: an east-west line
        assertThat(race.finishLine().distanceMeters(51.9995, -1.0)).isLessThan(0.01);
        assertThat(race.finishLine().distanceMeters(51.9995, -0.9998)).isLessThan(0.01);
        assertThat(out.lines).containsExactly(race.finishLine());
        // Both go round; car 0 started at the line, car 1 starts its timing when it crosses it.
        accept(new Fix(1_000, 1, 51.9996, -0.9999));
        accept(new Fix(12_000, 0, 52.0005, -0.999));
        accept(new Fix(12_000, 1, 52.0005, -0.9989));
        accept(new Fix(22_000, 0, 51.9990, -0.999));
        accept(new Fix(22_000, 1, 51.9990, -0.9989));
        accept(new Fix(30_000, 0, 51.9990, -1.0));
        accept(new Fix(30_000, 1, 51.9990, -0.9999));
        accept(new Fix(31_000, 0, 51.9997, -1.0));
        accept(new Fix(31_000, 1, 51.9997, -0.9999));
        assertThat(out.events)
                .filteredOn(e -> e.type() == RaceEvent.Type.LAP)
                .containsExactly(
                        RaceEvent.lap(31_000, 0, 1, 30_714), RaceEvent.lap(31_000, 1, 1, 29_881));
    }

    @Test
    void lapTimeFormat() {
        assertThat(RaceEvent.lapTime(83_456)).isEqualTo("1:23.456");
        assertThat(RaceEvent.lapTime(5_007)).isEqualTo("0:05.007");
        assertThat(RaceEvent.lapTime(600_000)).isEqualTo("10:00.000");
    }
}
