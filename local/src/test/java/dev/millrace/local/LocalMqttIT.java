package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local broker's stores: their bucket count, and a persistent session kept across restarts. */
class LocalMqttIT {
    private static final String TOPIC = "cars/7";

    @TempDir Path dir;

    @Test
    void aNewBrokerKeepsItsQueuedMessagesInFewBuckets() throws Exception {
        try (LocalMqtt broker = LocalMqtt.start(dir)) {
            assertThat(bucketsOnDisk()).isEqualTo(LocalMqtt.BUCKETS);
            assertThat(LocalMqtt.buckets(dir.resolve("data"))).isEqualTo(LocalMqtt.BUCKETS);
            queuedAcrossRestart(broker, "fix-1");
        }
    }

    @Test
    void aFolderMadeWithMoreBucketsKeepsItsCount() throws Exception {
        int made = 16;
        // What an older broker left: the same stores with more buckets.
        Path sessions =
                Files.createDirectories(
                        dir.resolve("data/persistence/client_session_store/040000"));
        for (int i = 0; i < made; i++) {
            Files.createDirectories(sessions.resolve("client_session_store_" + i));
        }
        assertThat(LocalMqtt.buckets(dir.resolve("data"))).isEqualTo(made);
        try (LocalMqtt broker = LocalMqtt.start(dir)) {
            assertThat(bucketsOnDisk()).isEqualTo(made);
            queuedAcrossRestart(broker, "fix-2");
        }
    }

    /** A message published while a persistent session is away reaches it after a restart. */
    private static void queuedAcrossRestart(LocalMqtt broker, String payload) throws Exception {
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
        MqttClient subscriber =
                new MqttClient(broker.url(), "subscriber-" + payload, new MemoryPersistence());
        subscriber.connect(persistent);
        subscriber.subscribe(TOPIC, 1);
        subscriber.disconnect();

        MqttClient publisher =
                new MqttClient(broker.url(), "publisher-" + payload, new MemoryPersistence());
        publisher.connect();
        publisher.publish(TOPIC, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        publisher.disconnect();
        publisher.close();

        broker.restart();

        subscriber.setCallback(
                new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {}

                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {}
                });
        subscriber.connect(persistent);
        try {
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(payload);
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
    }

    private long bucketsOnDisk() throws Exception {
        try (Stream<Path> buckets =
                Files.list(dir.resolve("data/persistence/client_session_store"))
                        .flatMap(LocalMqttIT::list)) {
            return buckets.filter(Files::isDirectory).count();
        }
    }

    private static Stream<Path> list(Path version) {
        try {
            return Files.list(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
