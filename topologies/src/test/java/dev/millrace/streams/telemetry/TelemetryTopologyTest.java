package dev.millrace.streams.telemetry;

import static dev.millrace.telemetry.CarStatus.position;
import static dev.millrace.telemetry.CarStatus.speed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streams.TopologyHarness;
import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceRecorder;
import dev.millrace.telemetry.RaceRules;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTopologyTest {
    private static final double M_PER_DEG = 111_195.08023353292;
    private static final RaceRules RULES =
            new RaceRules(Duration.ofSeconds(5), DemoTrack.FINISH_LINE);
    private static final byte[] RACE = bytes("carCoordinates");
    private static final long HOUR = 3_600_000L;

    @TempDir Path stateDir;
    private TopologyHarness harness;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<String, CarStatus> statuses;
    private TestOutputTopic<String, RaceEvent> events;

    @BeforeEach
    void start() {
        harness =
                new TopologyHarness(
                        new TelemetryTopology(RULES).build(),
                        stateDir,
                        TelemetryTopology.DEAD_LETTERS.name());
        input = harness.input(TelemetryTopology.CAR_COORDINATES);
        statuses = harness.output(TelemetryTopology.CAR_STATUS);
        events = harness.output(TelemetryTopology.EVENTS);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A fix {@code metres} up a meridian in the car's own lane, away from the finish line. */
    private static Fix at(int car, long time, double metres) {
        return new Fix(time, car, 51.9 + metres / M_PER_DEG, -0.9 - car * 0.001);
    }

    private void send(byte[] race, Fix fix) {
        input.pipeInput(race, FixJson.write(fix));
    }

    @Test
    void publishesSpeedsPositionsAndOneOvertakeForAPass() {
        for (int k = 0; k <= 4; k++) {
            send(RACE, at(0, 1_000L * k, 20.0 * k));
            send(RACE, at(1, 500 + 1_000L * k, 26.0 * k));
        }
        // Car 1 draws level at 2 167 ms and is 10 m ahead at 4 s: then the pass counts.
        assertThat(statuses.readKeyValuesToList())
                .containsExactly(
                        KeyValue.pair("carCoordinates", position(0, 0, 1)),
                        KeyValue.pair("carCoordinates", position(500, 1, 2)),
                        KeyValue.pair("carCoordinates", speed(1_000, 0, 44.739)),
                        KeyValue.pair("carCoordinates", speed(1_500, 1, 58.16)),
                        KeyValue.pair("carCoordinates", speed(2_000, 0, 44.739)),
                        KeyValue.pair("carCoordinates", speed(2_500, 1, 58.16)),
                        KeyValue.pair("carCoordinates", speed(3_000, 0, 44.739)),
                        KeyValue.pair("carCoordinates", speed(3_500, 1, 58.16)),
                        KeyValue.pair("carCoordinates", speed(4_000, 0, 44.739)),
                        KeyValue.pair("carCoordinates", speed(4_500, 1, 58.16)),
                        KeyValue.pair("carCoordinates", position(2_167, 1, 1)),
                        KeyValue.pair("carCoordinates", position(2_167, 0, 2)));
        assertThat(events.readKeyValuesToList())
                .containsExactly(KeyValue.pair("carCoordinates", RaceEvent.overtake(2_167, 1, 0)));
        assertThat(harness.deadLetters().isEmpty()).isTrue();
    }

    @Test
    void writesTheMatJsonFormats() {
        send(RACE, at(0, 0, 0));
        send(RACE, at(0, 1_000, 20));
        TestOutputTopic<String, String> raw =
                harness.driver()
                        .createOutputTopic(
                                TelemetryTopology.CAR_STATUS.name(),
                                new org.apache.kafka.common.serialization.StringDeserializer(),
                                new org.apache.kafka.common.serialization.StringDeserializer());
        assertThat(raw.readValuesToList())
                .containsExactly(
                        "{\"timestamp\":0,\"carIndex\":0,\"type\":\"POSITION\",\"value\":1}",
                        "{\"timestamp\":1000,\"carIndex\":0,\"type\":\"SPEED\",\"value\":44.739}");
    }

    @Test
    void racesWithDifferentKeysAreIndependent() {
        send(bytes("race-a"), at(0, 0, 0));
        send(bytes("race-b"), at(0, 5_000, 0));
        send(bytes("race-a"), at(0, 1_000, 20));
        send(bytes("race-b"), at(0, 5_500, 20));
        assertThat(statuses.readKeyValuesToList())
                .containsExactly(
                        KeyValue.pair("race-a", position(0, 0, 1)),
                        KeyValue.pair("race-b", position(5_000, 0, 1)),
                        KeyValue.pair("race-a", speed(1_000, 0, 44.739)),
                        KeyValue.pair("race-b", speed(5_500, 0, 89.477)));
    }

    @Test
    void malformedFixGoesToTheDeadLetterTopicWithItsReasonAndProcessingGoesOn() {
        send(RACE, at(0, 0, 0));
        input.pipeInput(RACE, bytes("{\"timestamp\":1000,\"carIndex\":0}"));
        input.pipeInput(RACE, bytes("not json"));
        send(RACE, at(0, 1_000, 20));

        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters().readRecordsToList();
        assertThat(dead).hasSize(2);
        TestRecord<byte[], byte[]> first = dead.get(0);
        assertThat(new String(first.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"timestamp\":1000,\"carIndex\":0}");
        assertThat(first.key()).isEqualTo(RACE);
        assertThat(header(first, DeadLetters.HEADER_MESSAGE))
                .isEqualTo("location must be an object with lat and long, got nothing");
        assertThat(header(first, DeadLetters.HEADER_TOPIC)).isEqualTo("telemetry.car-coordinates");
        assertThat(header(first, DeadLetters.HEADER_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(1), DeadLetters.HEADER_MESSAGE)).startsWith("not JSON");
        assertThat(statuses.readValuesToList())
                .containsExactly(position(0, 0, 1), speed(1_000, 0, 44.739));
    }

    /**
     * A fix stamped a day ahead of its record would hold the race's clock a day ahead, and no other
     * car would change position until then: it is dead-lettered, and the race goes on as if it had
     * never come.
     */
    @Test
    void aFixFromTheFutureGoesToTheDeadLetterTopicAndTheOtherCarsRaceOn() {
        RaceSimulation simulation =
                new RaceSimulation(
                        DemoTrack.TRACK, 6, 10, TopologyHarness.START.toEpochMilli() - HOUR, 3);
        Race race = new Race(RULES);
        RaceRecorder expected = new RaceRecorder();
        Fix future = new Fix(TopologyHarness.START.toEpochMilli() + 24 * HOUR, 2, 52.07, -1.02);
        for (int i = 0; i < 6 * 10 * 90; i++) {
            if (i == 120) {
                send(RACE, future);
            }
            Fix fix = simulation.next();
            race.accept(fix, expected);
            send(RACE, fix);
        }
        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters().readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.HEADER_MESSAGE))
                .startsWith("timestamp " + future.timestamp() + " (2026-01-02T00:00:00Z) runs")
                .endsWith("; telemetry.max-lead allows 60000 ms");
        assertThat(expected.positions()).hasSizeGreaterThan(6);
        assertThat(statuses.readValuesToList()).isEqualTo(expected.statuses);
    }

    /** A letter keeps its record's own headers, so that a redrive puts back what came in. */
    @Test
    void aDeadLetterKeepsTheHeadersOfItsRecord() {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("mqtt.topic", bytes("carCoordinates"));
        input.pipeInput(new TestRecord<>(RACE, bytes("not json"), headers));

        TestRecord<byte[], byte[]> letter = harness.deadLetters().readRecord();
        assertThat(header(letter, "mqtt.topic")).isEqualTo("carCoordinates");
        assertThat(header(letter, DeadLetters.HEADER_MESSAGE)).startsWith("not JSON");
    }

    @Test
    void dropsAFixNotNewerThanItsCarsLastOneAndCountsIt() {
        send(RACE, at(0, 1_000, 0));
        send(RACE, at(0, 2_000, 20));
        send(RACE, at(0, 2_000, 40));
        send(RACE, at(0, 1_500, 10));
        send(RACE, at(0, 3_000, 40));
        assertThat(statuses.readValuesToList())
                .containsExactly(
                        position(1_000, 0, 1), speed(2_000, 0, 44.739), speed(3_000, 0, 44.739));
        assertThat(harness.deadLetters().isEmpty()).isTrue();
        assertThat(
                        harness.driver().metrics().entrySet().stream()
                                .filter(e -> e.getKey().name().equals("stale-fix-dropped-total"))
                                .mapToDouble(e -> (Double) e.getValue().metricValue())
                                .sum())
                .isEqualTo(2.0);
    }

    /** The topology says exactly what the domain's race says about the same fixes. */
    @Test
    void aSimulatedRaceGivesExactlyTheDomainsOutputs() {
        RaceSimulation simulation =
                new RaceSimulation(
                        DemoTrack.TRACK, 6, 10, TopologyHarness.START.toEpochMilli() - HOUR, 11);
        Race race = new Race(RULES);
        RaceRecorder expected = new RaceRecorder();
        for (int i = 0; i < 6 * 10 * 90; i++) {
            Fix fix = simulation.next();
            race.accept(fix, expected);
            send(RACE, fix);
        }
        assertThat(expected.events).isNotEmpty();
        assertThat(statuses.readValuesToList()).isEqualTo(expected.statuses);
        assertThat(events.readValuesToList()).isEqualTo(expected.events);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
