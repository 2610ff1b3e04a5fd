package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.config.Config;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RaceCodecTest {
    private static final long START = 1_767_261_600_000L;
    private static final RaceRules CONFIGURED_LINE =
            new RaceRules(Duration.ofSeconds(5), DemoTrack.FINISH_LINE);
    private static final RaceRules DEFAULTS =
            TelemetrySettings.rules(Config.defaults(TelemetrySettings.KEYS));

    /**
     * A race whose state goes through bytes after every fix, as it does through a state store, says
     * exactly what a race kept in memory says.
     */
    @Test
    void aRaceRestoredAfterEveryFixEmitsExactlyWhatAnUninterruptedOneDoes() {
        assertRestoredRaceSaysTheSame(
                CONFIGURED_LINE,
                new RaceSimulation(DemoTrack.TRACK, 6, 10, START, 7),
                6 * 10 * 120);
    }

    /** The same with the line placed by the race and passes pending across fixes. */
    @Test
    void aRaceWithAPlacedLineAndPendingPassesRestoresExactlyToo() {
        assertRestoredRaceSaysTheSame(
                DEFAULTS, RaceSimulation.matFeed(DemoTrack.TRACK, 6, START, 3), 6 * 5 * 240);
    }

    private static void assertRestoredRaceSaysTheSame(
            RaceRules rules, RaceSimulation simulation, int fixes) {
        RaceCodec codec = new RaceCodec(rules);
        Race uninterrupted = new Race(rules);
        RaceRecorder expected = new RaceRecorder();
        RaceRecorder actual = new RaceRecorder();
        byte[] stored = codec.encode(new Race(rules));
        for (int i = 0; i < fixes; i++) {
            Fix fix = simulation.next();
            uninterrupted.accept(fix, expected);
            Race restored = codec.decode(stored);
            restored.accept(fix, actual);
            stored = codec.encode(restored);
        }
        assertThat(expected.events)
                .as("minutes of racing have laps and overtakes")
                .extracting(RaceEvent::type)
                .contains(RaceEvent.Type.LAP, RaceEvent.Type.OVERTAKE);
        assertThat(actual.statuses).isEqualTo(expected.statuses);
        assertThat(actual.events).isEqualTo(expected.events);
        assertThat(codec.decode(stored).finishLine()).isEqualTo(uninterrupted.finishLine());
    }

    @Test
    void refusesBytesOfAnotherVersionSayingHowToRecompute() {
        assertThatThrownBy(() -> new RaceCodec(CONFIGURED_LINE).decode(new byte[] {9, 0, 0}))
                .hasMessageContaining("race state of version 9")
                .hasMessageContaining("millrace reset telemetry");
    }
}
