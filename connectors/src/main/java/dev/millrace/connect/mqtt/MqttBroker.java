package dev.millrace.connect.mqtt;

import java.util.List;

/**
 * One entry of {@code mqtt.broker.urls}: a broker, or a cluster reachable through several failover
 * URIs.
 *
 * @param index the entry's position in the list; client ids derive from it, so it must not depend
 *     on how entries are spread over tasks
 * @param entry the entry as configured, used to name the broker in headers and logs
 * @param serverUris the URIs Paho tries in order
 */
public record MqttBroker(int index, String entry, List<String> serverUris) {
    public MqttBroker {
        serverUris = List.copyOf(serverUris);
    }

    boolean allSsl() {
        return serverUris.stream().allMatch(uri -> uri.startsWith("ssl://"));
    }

    boolean anySsl() {
        return serverUris.stream().anyMatch(uri -> uri.startsWith("ssl://"));
    }
}
