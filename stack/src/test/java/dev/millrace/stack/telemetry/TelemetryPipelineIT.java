package dev.millrace.stack.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.TopicReader;
import dev.millrace.local.testing.Await;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry pipeline end to end on the real local stack: fixes published over MQTT on {@code
 * carCoordinates} come back on {@code carStatus} and {@code events}, exactly as the race says, a
 * malformed one lands in {@code telemetry.dlq}, and a reset publishes the same outputs again.
 */
class TelemetryPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir Path dataDir;

    @Test
    void fixesOverMqttComeBackAsStatusesAndEventsAndAResetRepeatsThem() throws Exception {
        LocalStackSettings settings = LocalStackSettings.onFreePorts(dataDir, Map.of(), Map.of());

        // 150 s of a 6-car race on the 5.1 km Silverstone: overtakes, laps and a fastest lap.
        RaceSimulation simulation =
                new RaceSimulation(DemoTrack.TRACK, 6, 10, RaceSimulation.replayStart(), 4);
        List<Fix> fixes = new ArrayList<>();
        for (int i = 0; i < 6 * 10 * 150; i++) {
            fixes.add(simulation.next());
        }
        List<String> statuses = new ArrayList<>();
        List<String> events = new ArrayList<>();
        Race race = new Race(settings.telemetry());
        fixes.forEach(
                fix ->
                        race.accept(
                                fix,
                                new RaceListener() {
                                    @Override
                                    public void status(CarStatus status) {
                                        statuses.add(json(status));
                                    }

                                    @Override
                                    public void event(RaceEvent event) {
                                        events.add(json(event));
                                    }
                                }));
        assertThat(events).anyMatch(e -> e.contains("\"type\":\"LAP\""));
        assertThat(events).anyMatch(e -> e.contains("\"type\":\"OVERTAKE\""));

        try (LocalStack stack = LocalStack.start(settings)) {
            Map<String, Health.Status> health = stack.awaitHealthy(WAIT);
            assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);

            List<String> receivedStatuses = Collections.synchronizedList(new ArrayList<>());
            List<String> receivedEvents = Collections.synchronizedList(new ArrayList<>());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setMaxInflight(1_000);
            try (MqttClient subscriber =
                            new MqttClient(
                                    settings.mqttUrl(),
                                    "it-telemetry-sub",
                                    new MemoryPersistence());
                    MqttClient publisher =
                            new MqttClient(
                                    settings.mqttUrl(),
                                    "it-telemetry-pub",
                                    new MemoryPersistence())) {
                subscriber.connect(options);
                subscriber.subscribe(
                        new String[] {TelemetryPipeline.MQTT_STATUS, TelemetryPipeline.MQTT_EVENTS},
                        new int[] {1, 1},
                        new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
                            (topic, message) -> receivedStatuses.add(utf8(message.getPayload())),
                            (topic, message) -> receivedEvents.add(utf8(message.getPayload()))
                        });
                publisher.connect(options);
                for (Fix fix : fixes) {
                    publisher.publish(TelemetryPipeline.MQTT_IN, FixJson.write(fix), 1, false);
                }
                publisher.publish(
                        TelemetryPipeline.MQTT_IN,
                        "{\"timestamp\":1,\"carIndex\":\"one\"}".getBytes(StandardCharsets.UTF_8),
                        1,
                        false);

                Await.until(
                        "every output",
                        WAIT,
                        () ->
                                receivedStatuses.size() >= statuses.size()
                                        && receivedEvents.size() >= events.size());
                assertSameSequence(copy(receivedStatuses), statuses);
                assertSameSequence(copy(receivedEvents), events);
                assertThat(deadLetterReasons(settings))
                        .containsExactly("carIndex must be an integer >= 0, got \"one\"");

                HttpResponse<String> reset =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                settings.httpUrl()
                                                                        + "/pipelines/telemetry/reset"))
                                                .POST(HttpRequest.BodyPublishers.noBody())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
                assertThat(reset.body())
                        .contains("millrace-telemetry-telemetry-race-store-changelog");

                Await.until(
                        "every output",
                        WAIT,
                        () ->
                                receivedStatuses.size() >= 2 * statuses.size()
                                        && receivedEvents.size() >= 2 * events.size());
                List<String> twice = new ArrayList<>(statuses);
                twice.addAll(statuses);
                List<String> eventsTwice = new ArrayList<>(events);
                eventsTwice.addAll(events);
                assertSameSequence(copy(receivedStatuses), twice);
                assertSameSequence(copy(receivedEvents), eventsTwice);
                subscriber.disconnect();
                publisher.disconnect();
            }
        }
    }

    /** Equal lists, or a failure naming the first difference, which a diff of thousands hides. */
    private static void assertSameSequence(List<String> actual, List<String> expected) {
        int n = Math.min(actual.size(), expected.size());
        for (int i = 0; i < n; i++) {
            assertThat(actual.get(i))
                    .as("element %d of %d expected, %d received", i, expected.size(), actual.size())
                    .isEqualTo(expected.get(i));
        }
        assertThat(actual).as("received after the common prefix").hasSameSizeAs(expected);
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> copy(List<String> list) {
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    /** The reasons of every dead letter in the pipeline's dead-letter topic. */
    private static List<String> deadLetterReasons(LocalStackSettings settings) throws Exception {
        return Await.until(
                        "a dead letter",
                        WAIT,
                        () ->
                                TopicReader.readAll(
                                        settings.bootstrapServers(),
                                        TopicCatalog.TELEMETRY_DLQ.name(),
                                        IsolationLevel.READ_COMMITTED),
                        records -> !records.isEmpty())
                .stream()
                .map(
                        record -> {
                            var header = record.headers().lastHeader("__streams.errors.message");
                            return header == null ? "(no reason)" : utf8(header.value());
                        })
                .toList();
    }
}
