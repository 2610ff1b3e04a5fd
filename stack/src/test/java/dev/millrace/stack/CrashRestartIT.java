package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.json.Json;
import dev.millrace.local.testing.TopicReader;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack, as {@code millrace up} runs it (its own JVM), killed with SIGKILL while a race
 * streams in over MQTT, twice, and started again on the same data: each time it comes back healthy,
 * and in the end every fix that reached {@code telemetry.car-coordinates} has exactly one SPEED in
 * {@code telemetry.car-status} (read_committed): nothing lost, nothing twice. How long each restart
 * took to be healthy, and how many fixes the crashes kept from Kafka (MQTT is at least once only
 * for what its broker acknowledged), are printed, not asserted.
 */
class CrashRestartIT {
    private static final Path JAR = Path.of("target/millrace.jar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CARS = 6;

    @TempDir Path dir;

    @Test
    void aKilledStackComesBackAndItsOutputsAreExact() throws Exception {
        Map<String, String> flags = LocalStackSettings.freePorts();
        flags.put(CommonSettings.DATA_DIR.name(), dir.toString());
        LocalStackSettings settings =
                LocalStackSettings.from(
                        Config.builder(LocalStackSettings.ALL_KEYS).flags(flags).build());
        RaceSimulation race =
                new RaceSimulation(DemoTrack.TRACK, CARS, 10, RaceSimulation.replayStart(), 11);
        List<Fix> published = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> healthyMs = new ArrayList<>();
        List<Long> stopMs = new ArrayList<>();
        // Killed, stopped with SIGTERM, killed, each while fixes stream in; then read out.
        List<String> ends = List.of("KILL", "TERM", "KILL", "READ");

        for (String end : ends) {
            Process stack = start(flags);
            try {
                healthyMs.add(awaitHealthy(settings, stack));
                if (!end.equals("READ")) {
                    CompletableFuture<Void> feed =
                            CompletableFuture.runAsync(
                                    () -> publish(settings, race, 900, published));
                    Thread.sleep(1500);
                    long t0 = System.nanoTime();
                    if (end.equals("KILL")) {
                        stack.destroyForcibly();
                    } else {
                        stack.destroy();
                    }
                    assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as(end + " stops it").isTrue();
                    if (end.equals("TERM")) {
                        stopMs.add((System.nanoTime() - t0) / 1_000_000);
                    }
                    feed.get(60, TimeUnit.SECONDS);
                    continue;
                }
                publish(settings, race, 300, published);
                List<ConsumerRecord<byte[], byte[]>> inputs =
                        TopicReader.readSettled(
                                settings.bootstrapServers(),
                                TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                                Duration.ofSeconds(60));
                Set<String> expected = expectedSpeeds(inputs);
                List<String> speeds = awaitSpeeds(settings, expected.size());

                Set<String> arrived = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> record : inputs) {
                    Fix fix = FixJson.parse(record.value());
                    arrived.add(fix.carIndex() + "@" + fix.timestamp());
                }
                long lost =
                        published.stream()
                                .filter(f -> !arrived.contains(f.carIndex() + "@" + f.timestamp()))
                                .count();
                System.out.printf(
                        "healthy after start: %s ms; SIGTERM under load stopped it in %s ms;"
                                + " fixes published %d, in Kafka %d (%d again after a crash, %d"
                                + " never)%n",
                        healthyMs,
                        stopMs,
                        published.size(),
                        inputs.size(),
                        inputs.size() - arrived.size(),
                        lost);
                assertThat(speeds).as("no SPEED twice").doesNotHaveDuplicates();
                assertThat(new HashSet<>(speeds)).as("a SPEED for every fix").isEqualTo(expected);
                assertThat(inputs.size()).as("fixes in Kafka").isGreaterThan(300);
            } finally {
                if (stack.isAlive()) {
                    stack.destroy();
                    if (!stack.waitFor(30, TimeUnit.SECONDS)) {
                        stack.destroyForcibly().waitFor();
                    }
                }
            }
        }
    }

    private Process start(Map<String, String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.add("up");
        flags.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stack.log").toFile())
                .start();
    }

    /** Milliseconds from start to {@code /health} answering 200. */
    private long awaitHealthy(LocalStackSettings settings, Process stack) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            assertThat(stack.isAlive())
                    .as("the stack runs; see " + dir.resolve("stack.log"))
                    .isTrue();
            try {
                HttpResponse<String> health =
                        HTTP.send(
                                HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/health"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not healthy within 3 minutes; see " + dir.resolve("stack.log"));
    }

    /**
     * Publishes up to {@code count} fixes at about 300 a second, QoS 1, adding each acknowledged
     * one to {@code published}; stops early when the broker goes away.
     */
    private static void publish(
            LocalStackSettings settings, RaceSimulation race, int count, List<Fix> published) {
        try {
            MqttClient client =
                    new MqttClient(settings.mqttUrl(), "crash-feed", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    Fix fix = race.next();
                    client.publish(TelemetryPipeline.MQTT_IN, FixJson.write(fix), 1, false);
                    published.add(fix);
                    long due = t0 + (i + 1) * 1_000_000_000L / 300;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } finally {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
        } catch (MqttException brokerGone) {
            // The stack went down: what was acknowledged is in published.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the topology must answer to its input log: a SPEED for every fix newer than its car's
     * previous one, the car's first fix excepted, as {@code car@timestamp}.
     */
    private static Set<String> expectedSpeeds(List<ConsumerRecord<byte[], byte[]>> inputs) {
        Map<Integer, Long> last = new HashMap<>();
        Set<String> expected = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : inputs) {
            Fix fix = FixJson.parse(record.value());
            Long previous = last.get(fix.carIndex());
            if (previous == null || fix.timestamp() > previous) {
                if (previous != null) {
                    expected.add(fix.carIndex() + "@" + fix.timestamp());
                }
                last.put(fix.carIndex(), fix.timestamp());
            }
        }
        return expected;
    }

    /** The SPEEDs on car-status once there are at least {@code expected} and no more come. */
    private static List<String> awaitSpeeds(LocalStackSettings settings, int expected)
            throws Exception {
        List<String> speeds = List.of();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            List<String> read = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record :
                    TopicReader.readSettled(
                            settings.bootstrapServers(),
                            TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                            Duration.ofSeconds(10))) {
                JsonNode status = Json.mapper().readTree(record.value());
                if (status.path("type").asText().equals("SPEED")) {
                    read.add(
                            status.path("carIndex").asInt()
                                    + "@"
                                    + status.path("timestamp").asLong());
                }
            }
            speeds = read;
            if (speeds.size() >= expected) {
                return speeds;
            }
            Thread.sleep(1000);
        }
        return speeds;
    }
}
