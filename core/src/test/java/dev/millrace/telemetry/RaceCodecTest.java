package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RaceCodecTest {
    private static final RaceRules RULES =
            new RaceRules(Duration.ofSeconds(5), DemoTrack.FINISH_LINE);

    /**
     * A race whose state goes through bytes after every fix, as it does through a state store, says
     * exactly what a race kept in memory says.
     */
    @Test
    void aRaceRestoredAfterEveryFixEmitsExactlyWhatAnUninterruptedOneDoes() {
        RaceCodec codec = new RaceCodec(RULES);
        RaceSimulation simulation =
                new RaceSimulation(DemoTrack.TRACK, 6, 10, 1_767_261_600_000L, 7);
        Race uninterrupted = new Race(RULES);
        RaceRecorder expected = new RaceRecorder();
        RaceRecorder actual = new RaceRecorder();
        byte[] stored = codec.encode(new Race(RULES));
        for (int i = 0; i < 6 * 10 * 120; i++) {
            Fix fix = simulation.next();
            uninterrupted.accept(fix, expected);
            Race restored = codec.decode(stored);
            restored.accept(fix, actual);
            stored = codec.encode(restored);
        }
        assertThat(expected.events).as("two minutes of racing has events").isNotEmpty();
        assertThat(actual.statuses).isEqualTo(expected.statuses);
        assertThat(actual.events).isEqualTo(expected.events);
    }

    @Test
    void refusesBytesOfAnotherVersion() {
        assertThatThrownBy(() -> new RaceCodec(RULES).decode(new byte[] {9, 0, 0}))
                .hasMessageContaining("unknown race state version 9");
    }
}
