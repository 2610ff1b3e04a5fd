package dev.millrace.connect.mqtt.internal;

import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Creates the MQTT clients of a task; tests pass one that returns fakes. */
@FunctionalInterface
public interface MqttClientFactory {

    /**
     * Paho's asynchronous client. In-flight state is kept in memory: Paho's default file
     * persistence writes into the worker's working directory, and the broker's persistent session
     * is what carries unacknowledged messages across restarts anyway.
     */
    MqttClientFactory PAHO =
            (serverUri, clientId) ->
                    new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());

    /**
     * @param serverUri the first URI of the broker entry; the connect options carry all of them
     */
    IMqttAsyncClient create(String serverUri, String clientId) throws MqttException;
}
