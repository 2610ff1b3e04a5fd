package dev.millrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.deadletter.DeadLetterHeaders;
import dev.millrace.json.Json;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.CarStatusJson;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.TelemetrySettings;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The telemetry job on a MiniCluster says exactly what the domain's race says. */
class TelemetryJobTest {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.cluster();

    private static final TelemetryJob.Topics TOPICS = TelemetryJob.Topics.CATALOG;

    @Test
    void twoSimulatedRacesGiveExactlyTheDomainsOutputsPerRace() throws Exception {
        JobConfig config = JobConfig.of(Map.of());
        List<KafkaRecord> inputs = new ArrayList<>();
        List<KafkaRecord> expected = new ArrayList<>();
        for (String raceId : List.of("race-a", "race-b")) {
            byte[] key = raceId.getBytes(StandardCharsets.UTF_8);
            RaceSimulation simulation =
                    new RaceSimulation(
                            DemoTrack.TRACK, 6, 5, 1_767_261_600_000L, raceId.hashCode());
            Race race = new Race(TelemetrySettings.rules(config.config()));
            for (int i = 0; i < 6 * 5 * 60; i++) {
                Fix fix = simulation.next();
                KafkaRecord input =
                        TestIo.read(
                                TOPICS.carCoordinates(),
                                inputs.size(),
                                fix.timestamp(),
                                key,
                                FixJson.write(fix),
                                List.of());
                inputs.add(input);
                race.accept(fix, collecting(expected, input));
            }
        }
        byte[] malformed = "{\"timestamp\": \"soon\"}".getBytes(StandardCharsets.UTF_8);
        inputs.add(
                TestIo.read(
                        TOPICS.carCoordinates(),
                        inputs.size(),
                        1_767_261_700_000L,
                        "race-a".getBytes(StandardCharsets.UTF_8),
                        malformed,
                        List.of()));

        TestIo io = new TestIo().input(TOPICS.carCoordinates(), inputs);
        var env = Flink.env(config);
        new TelemetryJob(config, TOPICS).build(env, io);
        List<KafkaRecord> outputs = io.run();

        for (String raceId : List.of("race-a", "race-b")) {
            for (String topic : List.of(TOPICS.carStatus(), TOPICS.events())) {
                assertThat(ofRace(outputs, topic, raceId))
                        .as("%s of %s", topic, raceId)
                        .isEqualTo(ofRace(expected, topic, raceId));
            }
        }
        assertThat(TestIo.to(expected, TOPICS.events())).isNotEmpty();
        List<KafkaRecord> dead = TestIo.to(outputs, TOPICS.deadLetters());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(malformed);
        assertThat(dead.get(0).header(DeadLetterHeaders.TOPIC)).isEqualTo(TOPICS.carCoordinates());
        assertThat(dead.get(0).header(DeadLetterHeaders.OFFSET))
                .isEqualTo(String.valueOf(inputs.size() - 1));
        assertThat(dead.get(0).header(DeadLetterHeaders.MESSAGE)).isNotBlank();
    }

    private static List<KafkaRecord> ofRace(List<KafkaRecord> records, String topic, String race) {
        return TestIo.to(records, topic).stream().filter(r -> r.keyText().equals(race)).toList();
    }

    /** What the job writes for each status and event of the race, by hand. */
    private static RaceListener collecting(List<KafkaRecord> into, KafkaRecord input) {
        return new RaceListener() {
            @Override
            public void status(CarStatus status) {
                into.add(
                        KafkaRecord.to(
                                TOPICS.carStatus(),
                                input.timestamp(),
                                input.key(),
                                CarStatusJson.write(status),
                                List.of()));
            }

            @Override
            public void event(RaceEvent event) {
                try {
                    into.add(
                            KafkaRecord.to(
                                    TOPICS.events(),
                                    input.timestamp(),
                                    input.key(),
                                    Json.mapper().writeValueAsBytes(event),
                                    List.of()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
