package dev.millrace.connect.mqtt.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain Paho client playing the devices and dashboards around the connectors. */
public final class MqttTestClient implements AutoCloseable {

    /** One message a subscriber received. */
    public record Received(String topic, String payload) {}

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private MqttTestClient(String url, String clientId, boolean cleanSession) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(
                new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {}

                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        received.add(
                                new Received(
                                        topic,
                                        new String(message.getPayload(), StandardCharsets.UTF_8)));
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {}
                });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options);
    }

    public static MqttTestClient connect(String url, String clientId) throws MqttException {
        return new MqttTestClient(url, clientId, true);
    }

    /**
     * Creates the persistent session a source task will resume, subscribed to {@code filter}, so
     * the broker queues messages for it before the task first connects.
     */
    public static void createPersistentSession(String url, String clientId, String filter, int qos)
            throws MqttException {
        try (MqttTestClient session = new MqttTestClient(url, clientId, false)) {
            session.client.subscribe(filter, qos);
        }
    }

    public MqttTestClient subscribe(String filter) throws MqttException {
        client.subscribe(filter, 1);
        return this;
    }

    public void publish(String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message);
    }

    /** The next message received within {@code timeout}, or null. */
    public Received next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
