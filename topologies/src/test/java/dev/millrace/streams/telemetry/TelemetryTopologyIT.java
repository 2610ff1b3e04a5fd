package dev.millrace.streams.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.json.Json;
import dev.millrace.local.testing.EmbeddedKafka;
import dev.millrace.streams.StreamsReset;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry topology on a real broker, killed with SIGKILL mid-stream and restarted: its
 * committed outputs are exactly those of an uninterrupted race, none lost, none twice.
 */
class TelemetryTopologyIT {
    private static final int FIXES = 12_000;
    private static final byte[] RACE = "carCoordinates".getBytes(StandardCharsets.UTF_8);

    EmbeddedKafka kafka;

    @BeforeEach
    void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(
                TelemetryTopology.CAR_COORDINATES.name(),
                TelemetryTopology.CAR_STATUS.name(),
                TelemetryTopology.EVENTS.name(),
                TelemetryTopology.DEAD_LETTERS.name());
    }

    @AfterEach
    void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void killedMidStreamAndRestartedItLosesAndRepeatsNoOutput(@TempDir Path stateDir)
            throws Exception {
        List<Fix> fixes = race(FIXES);
        List<CarStatus> expectedStatuses = new ArrayList<>();
        List<RaceEvent> expectedEvents = new ArrayList<>();
        expect(fixes, expectedStatuses, expectedEvents);

        CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> produce(fixes));
        Process app = startApp(stateDir);
        try {
            List<ConsumerRecord<byte[], byte[]>> early =
                    kafka.readUntil(
                            TelemetryTopology.CAR_STATUS.name(),
                            read -> read.size() >= 2_000,
                            Duration.ofSeconds(90));
            assertThat(early)
                    .as("outputs committed before the kill")
                    .hasSizeGreaterThanOrEqualTo(2_000);
        } finally {
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(feed.isDone()).as("the kill came mid-stream").isFalse();

        try (StreamsRunner restarted = TelemetryApp.runner(kafka.bootstrapServers(), stateDir)) {
            restarted.start();
            feed.get(60, TimeUnit.SECONDS);
            awaitCommittedToEnd(Duration.ofSeconds(90));
        }

        assertSameSequence(
                values(TelemetryTopology.CAR_STATUS.name(), CarStatus.class), expectedStatuses);
        assertSameSequence(
                values(TelemetryTopology.EVENTS.name(), RaceEvent.class), expectedEvents);
        assertThat(kafka.readAll(TelemetryTopology.DEAD_LETTERS.name(), Duration.ofSeconds(30)))
                .isEmpty();
    }

    @Test
    void resetReplaysTheInputAndReproducesTheOutputs(@TempDir Path stateDir) throws Exception {
        List<Fix> fixes = race(3_000);
        List<CarStatus> expectedStatuses = new ArrayList<>();
        List<RaceEvent> expectedEvents = new ArrayList<>();
        expect(fixes, expectedStatuses, expectedEvents);
        produce(fixes);

        try (StreamsRunner runner = TelemetryApp.runner(kafka.bootstrapServers(), stateDir);
                Admin admin = kafka.admin()) {
            runner.start();
            awaitCommittedToEnd(Duration.ofSeconds(90));
            assertThatThrownBy(
                            () ->
                                    StreamsReset.reset(
                                            admin,
                                            TelemetryTopology.APPLICATION_ID,
                                            List.of(TelemetryTopology.CAR_COORDINATES.name()),
                                            Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("live member");
        }
        try (Admin admin = kafka.admin()) {
            StreamsReset.Outcome outcome =
                    StreamsReset.reset(
                            admin,
                            TelemetryTopology.APPLICATION_ID,
                            List.of(TelemetryTopology.CAR_COORDINATES.name()),
                            Duration.ofSeconds(30));
            assertThat(outcome.deletedTopics())
                    .containsExactly("millrace-telemetry-telemetry-race-store-changelog");
            assertThat(outcome.rewoundTo())
                    .containsEntry(
                            new TopicPartition(TelemetryTopology.CAR_COORDINATES.name(), 0), 0L);
        }
        try (StreamsRunner again = TelemetryApp.runner(kafka.bootstrapServers(), stateDir)) {
            again.streams().cleanUp();
            again.start();
            awaitCommittedToEnd(Duration.ofSeconds(90));
        }

        List<CarStatus> twice = new ArrayList<>(expectedStatuses);
        twice.addAll(expectedStatuses);
        List<RaceEvent> eventsTwice = new ArrayList<>(expectedEvents);
        eventsTwice.addAll(expectedEvents);
        assertSameSequence(values(TelemetryTopology.CAR_STATUS.name(), CarStatus.class), twice);
        assertSameSequence(values(TelemetryTopology.EVENTS.name(), RaceEvent.class), eventsTwice);
    }

    private static List<Fix> race(int count) {
        List<Fix> fixes = new ArrayList<>();
        RaceSimulation simulation =
                new RaceSimulation(DemoTrack.TRACK, 6, 10, RaceSimulation.replayStart(), 5);
        for (int i = 0; i < count; i++) {
            fixes.add(simulation.next());
        }
        return fixes;
    }

    /** What the domain's race says about the fixes: what the topology must publish. */
    private static void expect(List<Fix> fixes, List<CarStatus> statuses, List<RaceEvent> events) {
        Race race = new Race(TelemetryApp.RULES);
        RaceListener listener =
                new RaceListener() {
                    @Override
                    public void status(CarStatus status) {
                        statuses.add(status);
                    }

                    @Override
                    public void event(RaceEvent event) {
                        events.add(event);
                    }
                };
        fixes.forEach(fix -> race.accept(fix, listener));
    }

    /** Sends the fixes at about 1 000 a second, so that the application is killed mid-stream. */
    private void produce(List<Fix> fixes) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < fixes.size(); i++) {
                producer.send(
                        new ProducerRecord<>(
                                TelemetryTopology.CAR_COORDINATES.name(),
                                RACE,
                                FixJson.write(fixes.get(i))));
                if (i % 10 == 9) {
                    Thread.sleep(10);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process startApp(Path stateDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", "telemetry-app-it.log").toFile();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        TelemetryApp.class.getName(),
                        kafka.bootstrapServers(),
                        stateDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }

    /** Waits until the application has committed its position at the end of its input. */
    private void awaitCommittedToEnd(Duration timeout) throws Exception {
        TopicPartition input = new TopicPartition(TelemetryTopology.CAR_COORDINATES.name(), 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.admin()) {
            long end =
                    admin.listOffsets(Map.of(input, OffsetSpec.latest()))
                            .partitionResult(input)
                            .get()
                            .offset();
            while (true) {
                OffsetAndMetadata committed =
                        admin.listConsumerGroupOffsets(TelemetryTopology.APPLICATION_ID)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(input);
                if (committed != null && committed.offset() >= end) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "input not processed to its end "
                                    + end
                                    + " within "
                                    + timeout
                                    + "; committed "
                                    + committed);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Equal lists, or a failure naming the first difference, which a diff of 10 000 hides. */
    private static <T> void assertSameSequence(List<T> actual, List<T> expected) {
        int n = Math.min(actual.size(), expected.size());
        for (int i = 0; i < n; i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                throw new AssertionError(
                        "first difference at "
                                + i
                                + " of "
                                + expected.size()
                                + " expected ("
                                + actual.size()
                                + " actual):\n  expected "
                                + expected.subList(i, Math.min(n, i + 3))
                                + "\n  actual   "
                                + actual.subList(i, Math.min(n, i + 3)));
            }
        }
        assertThat(actual).as("outputs after the common prefix").hasSameSizeAs(expected);
    }

    private <T> List<T> values(String topic, Class<T> type) throws IOException {
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topic, Duration.ofSeconds(60))) {
            values.add(Json.mapper().readValue(record.value(), type));
        }
        return values;
    }
}
