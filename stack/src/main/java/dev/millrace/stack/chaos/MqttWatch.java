package dev.millrace.stack.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A subscriber to a pipeline's MQTT output with a persistent session, so that a broker restart
 * loses it nothing: every message it receives, by the key that names what it stands for.
 */
final class MqttWatch implements AutoCloseable {
    /** How the MQTT output compares with what Kafka committed. */
    record Outcome(int expected, int delivered, int missing, int duplicates, int differing) {
        PipelineChaos.Row row(String name) {
            return new PipelineChaos.Row(name, "", expected, delivered, missing, duplicates);
        }

        String note() {
            return differing == 0
                    ? "every MQTT duplicate is the same message as the original"
                    : differing + " MQTT duplicates differ from their original";
        }
    }

    private final MqttClient client;
    private final Map<String, List<byte[]>> received = new ConcurrentHashMap<>();

    /**
     * @param key what a message stands for, or empty for a message the run does not count
     */
    MqttWatch(
            String mqttUrl, String clientId, String filter, Function<byte[], Optional<String>> key)
            throws MqttException {
        client = new MqttClient(mqttUrl, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(1_000);
        client.connect(options);
        client.subscribe(
                filter,
                1,
                (topic, message) ->
                        key.apply(message.getPayload())
                                .ifPresent(
                                        k ->
                                                received.computeIfAbsent(
                                                                k,
                                                                x ->
                                                                        Collections
                                                                                .synchronizedList(
                                                                                        new ArrayList<>()))
                                                        .add(message.getPayload())));
    }

    boolean received(String key) {
        return received.containsKey(key);
    }

    /**
     * Waits up to the recovery limit for every committed message to arrive, then compares: each
     * must have come at least once, every copy byte for byte the committed one.
     */
    Outcome compare(Map<String, byte[]> committed) throws InterruptedException {
        long deadline = System.nanoTime() + ChaosRun.RECOVERY_LIMIT.toNanos();
        while (!received.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        int missing = 0;
        int duplicates = 0;
        int differing = 0;
        for (Map.Entry<String, byte[]> message : committed.entrySet()) {
            List<byte[]> seen = received.getOrDefault(message.getKey(), List.of());
            if (seen.isEmpty()) {
                missing++;
            }
            duplicates += Math.max(0, seen.size() - 1);
            synchronized (seen) {
                differing +=
                        (int)
                                seen.stream()
                                        .filter(p -> !Arrays.equals(p, message.getValue()))
                                        .count();
            }
        }
        return new Outcome(
                committed.size(), committed.size() - missing, missing, duplicates, differing);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
