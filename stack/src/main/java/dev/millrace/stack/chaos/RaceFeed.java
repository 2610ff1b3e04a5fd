package dev.millrace.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.TopicReader;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A race streamed into the telemetry pipeline over MQTT at a steady rate while something fails, and
 * the check that follows: every fix in {@code telemetry.car-coordinates} has exactly one SPEED in
 * {@code telemetry.car-status} (read_committed), and how many acknowledged fixes never reached
 * Kafka.
 */
public final class RaceFeed {
    private RaceFeed() {}

    /**
     * Publishes up to {@code count} fixes of {@code race} at {@code perSecond}, QoS 1, adding each
     * acknowledged one to {@code published}; stops early when the broker goes away.
     */
    public static void publish(
            String mqttUrl,
            String clientId,
            RaceSimulation race,
            int count,
            int perSecond,
            List<Fix> published) {
        try {
            MqttClient client = new MqttClient(mqttUrl, clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    Fix fix = race.next();
                    client.publish(TelemetryPipeline.MQTT_IN, FixJson.write(fix), 1, false);
                    published.add(fix);
                    long due = t0 + (i + 1) * 1_000_000_000L / perSecond;
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
            // The broker went down: what it acknowledged is in published.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the pipeline did with a feed.
     *
     * @param published fixes the MQTT broker acknowledged
     * @param inKafka fixes in the input topic, a redelivered one counted each time
     * @param lost acknowledged fixes that never reached the input topic
     * @param expectedSpeeds SPEEDs the input log calls for
     * @param speeds SPEEDs committed to the output topic
     * @param duplicateSpeeds SPEEDs committed more than once
     */
    public record Outcome(
            int published,
            int inKafka,
            long lost,
            int expectedSpeeds,
            int speeds,
            long duplicateSpeeds,
            boolean exact) {
        @Override
        public String toString() {
            return String.format(
                    "fixes published %d, in Kafka %d, lost %d; SPEEDs expected %d, committed %d,"
                            + " twice %d",
                    published, inKafka, lost, expectedSpeeds, speeds, duplicateSpeeds);
        }
    }

    /** Reads the input and output topics once the SPEEDs stop coming, and compares them. */
    public static Outcome check(String bootstrapServers, List<Fix> published)
            throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> inputs =
                TopicReader.readSettled(
                        bootstrapServers,
                        TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                        Duration.ofSeconds(60));
        Set<String> expected = expectedSpeeds(inputs);
        List<String> speeds = awaitSpeeds(bootstrapServers, expected.size());
        Set<String> arrived = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : inputs) {
            Fix fix = FixJson.parse(record.value());
            arrived.add(fix.carIndex() + "@" + fix.timestamp());
        }
        List<Fix> acknowledged;
        synchronized (published) {
            acknowledged = new ArrayList<>(published);
        }
        long lost =
                acknowledged.stream()
                        .filter(f -> !arrived.contains(f.carIndex() + "@" + f.timestamp()))
                        .count();
        Set<String> distinct = new HashSet<>(speeds);
        return new Outcome(
                acknowledged.size(),
                inputs.size(),
                lost,
                expected.size(),
                speeds.size(),
                speeds.size() - distinct.size(),
                lost == 0 && distinct.size() == speeds.size() && distinct.equals(expected));
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

    /** The SPEEDs on car-status once there are at least {@code expected}, or after two minutes. */
    private static List<String> awaitSpeeds(String bootstrapServers, int expected)
            throws InterruptedException {
        List<String> speeds = List.of();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            List<String> read = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record :
                    TopicReader.readSettled(
                            bootstrapServers,
                            TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                            Duration.ofSeconds(10))) {
                JsonNode status;
                try {
                    status = Json.mapper().readTree(record.value());
                } catch (IOException e) {
                    continue;
                }
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
