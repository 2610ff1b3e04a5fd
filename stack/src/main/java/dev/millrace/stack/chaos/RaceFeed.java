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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Utils;
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
        publish(mqttUrl, clientId, race, perSecond, published, sent -> sent < count, false);
    }

    /**
     * Publishes fixes of {@code race} at {@code perSecond}, QoS 1, while {@code more} accepts the
     * number sent so far, adding each acknowledged one to {@code published}. When the broker goes
     * away, it stops, or with {@code reconnect} connects again and sends the fix it was not
     * acknowledged again.
     */
    public static void publish(
            String mqttUrl,
            String clientId,
            RaceSimulation race,
            int perSecond,
            List<Fix> published,
            IntPredicate more,
            boolean reconnect) {
        Fix pending = null;
        int sent = 0;
        do {
            try (MqttClient client = new MqttClient(mqttUrl, clientId, new MemoryPersistence())) {
                MqttConnectOptions options = new MqttConnectOptions();
                options.setCleanSession(true);
                client.connect(options);
                try {
                    long t0 = System.nanoTime();
                    for (int paced = 1; more.test(sent); paced++) {
                        if (pending == null) {
                            pending = race.next();
                        }
                        client.publish(TelemetryPipeline.MQTT_IN, FixJson.write(pending), 1, false);
                        synchronized (published) {
                            published.add(pending);
                        }
                        pending = null;
                        sent++;
                        long wait = t0 + paced * 1_000_000_000L / perSecond - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    return;
                } finally {
                    if (client.isConnected()) {
                        client.disconnect();
                    }
                }
            } catch (MqttException brokerGone) {
                // What the broker acknowledged is in published.
                if (reconnect) {
                    pause(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (reconnect && more.test(sent) && !Thread.currentThread().isInterrupted());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fix, and the SPEED it calls for, as {@code car@timestamp}. */
    static String key(Fix fix) {
        return fix.carIndex() + "@" + fix.timestamp();
    }

    /** The {@code car@timestamp} of a car status, when it is a SPEED. */
    static Optional<String> speedKey(byte[] status) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(status);
        } catch (IOException e) {
            return Optional.empty();
        }
        return json.path("type").asText().equals("SPEED")
                ? Optional.of(json.path("carIndex").asInt() + "@" + json.path("timestamp").asLong())
                : Optional.empty();
    }

    /** The partition of the race's fixes: the input topic is keyed by MQTT topic, one race. */
    public static TopicPartitionInfo inputPartition(Admin admin) throws Exception {
        String topic = TopicCatalog.TELEMETRY_CAR_COORDINATES.name();
        TopicDescription description =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        int partition =
                Utils.toPositive(
                                Utils.murmur2(
                                        TelemetryPipeline.MQTT_IN.getBytes(StandardCharsets.UTF_8)))
                        % description.partitions().size();
        return description.partitions().get(partition);
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
     * @param committed each SPEED committed, {@code car@timestamp} to its payload
     */
    public record Outcome(
            int published,
            int inKafka,
            long lost,
            int expectedSpeeds,
            int speeds,
            long duplicateSpeeds,
            boolean exact,
            Map<String, byte[]> committed) {
        @Override
        public String toString() {
            return String.format(
                    "fixes published %d, in Kafka %d, lost %d; SPEEDs expected %d, committed %d,"
                            + " twice %d",
                    published, inKafka, lost, expectedSpeeds, speeds, duplicateSpeeds);
        }
    }

    /**
     * Reads the input and output topics once the SPEEDs stop coming, and compares them. A fix the
     * MQTT broker acknowledged may still be on its way to the input topic when the feed stops (the
     * broker redelivers what the source had not yet written, after a fault): the input is read
     * again until every acknowledged fix is in it, for up to a minute; one still missing then is
     * lost.
     */
    public static Outcome check(String bootstrapServers, List<Fix> published)
            throws InterruptedException {
        List<Fix> acknowledged;
        synchronized (published) {
            acknowledged = new ArrayList<>(published);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        List<ConsumerRecord<byte[], byte[]>> inputs;
        Set<String> arrived = new HashSet<>();
        long lost;
        while (true) {
            inputs =
                    TopicReader.readSettled(
                            bootstrapServers,
                            TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                            Duration.ofSeconds(60));
            arrived.clear();
            for (ConsumerRecord<byte[], byte[]> record : inputs) {
                arrived.add(key(FixJson.parse(record.value())));
            }
            lost = acknowledged.stream().filter(f -> !arrived.contains(key(f))).count();
            if (lost == 0 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        Set<String> expected = expectedSpeeds(inputs);
        List<Map.Entry<String, byte[]>> speeds = awaitSpeeds(bootstrapServers, expected.size());
        Map<String, byte[]> committed = new HashMap<>();
        speeds.forEach(speed -> committed.put(speed.getKey(), speed.getValue()));
        return new Outcome(
                acknowledged.size(),
                inputs.size(),
                lost,
                expected.size(),
                speeds.size(),
                speeds.size() - committed.size(),
                lost == 0
                        && committed.size() == speeds.size()
                        && committed.keySet().equals(expected),
                committed);
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
                    expected.add(key(fix));
                }
                last.put(fix.carIndex(), fix.timestamp());
            }
        }
        return expected;
    }

    /**
     * The SPEEDs on car-status, each {@code car@timestamp} with its payload, once there are at
     * least {@code expected}, or after two minutes.
     */
    private static List<Map.Entry<String, byte[]>> awaitSpeeds(
            String bootstrapServers, int expected) throws InterruptedException {
        List<Map.Entry<String, byte[]>> speeds = List.of();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            List<Map.Entry<String, byte[]>> read = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record :
                    TopicReader.readSettled(
                            bootstrapServers,
                            TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                            Duration.ofSeconds(10))) {
                speedKey(record.value()).ifPresent(key -> read.add(Map.entry(key, record.value())));
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
