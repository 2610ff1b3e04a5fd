package dev.millrace.connect.mqtt.testing;

import dev.millrace.connect.mqtt.internal.MqttClientFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A client factory handing out {@link FakeMqttClient}s, kept by client id for the test. */
public final class FakeMqttClients implements MqttClientFactory {
    private final Map<String, FakeMqttClient> byClientId = new ConcurrentHashMap<>();
    private volatile boolean reachable = true;

    /** Whether clients created from now on can reach their broker. */
    public FakeMqttClients reachable(boolean reachable) {
        this.reachable = reachable;
        return this;
    }

    @Override
    public FakeMqttClient create(String serverUri, String clientId) {
        FakeMqttClient client = new FakeMqttClient(serverUri, clientId, reachable);
        byClientId.put(clientId, client);
        return client;
    }

    public FakeMqttClient get(String clientId) {
        FakeMqttClient client = byClientId.get(clientId);
        if (client == null) {
            throw new AssertionError("no client " + clientId + " in " + byClientId.keySet());
        }
        return client;
    }

    public Map<String, FakeMqttClient> all() {
        return Map.copyOf(byClientId);
    }
}
