package dev.millrace.connect.mqtt.internal;

import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a task lets go of its MQTT connection: cleanly if it can, forcibly if not, never twice. */
public final class MqttDisconnect {
    private static final Logger log = LoggerFactory.getLogger(MqttDisconnect.class);
    private static final long QUIESCE_MS = 1_000;
    private static final long TIMEOUT_MS = 5_000;

    private MqttDisconnect() {}

    /**
     * Stops reconnecting, disconnects and closes the client; failures are logged, not thrown, as
     * the task is going away either way.
     */
    public static void close(
            IMqttAsyncClient client,
            MqttConnectOptions options,
            String brokerEntry,
            String clientId) {
        // Paho reads this object when deciding to reconnect; without this, a reconnect cycle
        // running during an outage would outlive the task.
        options.setAutomaticReconnect(false);
        try {
            if (client.isConnected()) {
                client.disconnect(QUIESCE_MS).waitForCompletion(TIMEOUT_MS);
                log.info("Disconnected from {} as {}", brokerEntry, clientId);
            }
        } catch (MqttException e) {
            log.debug("Clean disconnect of {} failed: {}", clientId, MqttErrors.describe(e));
            try {
                client.disconnectForcibly(0, TIMEOUT_MS);
            } catch (MqttException ignored) {
                // Closing below releases what is left.
            }
        }
        try {
            client.close();
        } catch (MqttException e) {
            log.debug("Cannot close the client {}: {}", clientId, MqttErrors.describe(e));
        }
    }
}
