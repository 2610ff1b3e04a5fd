package dev.millrace.local;

import dev.millrace.config.TlsSettings;
import java.util.List;
import java.util.Map;

/**
 * Who may use the local MQTT broker, and how: the WIS2 convention of read-only accounts for
 * subscribers (everyone/everyone), one account for millrace itself, and for development anonymous
 * clients on the plain port, who may publish anything but what millrace publishes.
 *
 * @param tlsPort the MQTT-over-TLS listener's port
 * @param tls the certificate it presents
 * @param serviceUser millrace's own account, which alone may publish {@code reserved} topics
 * @param servicePassword its password
 * @param readers read-only accounts by name, with their passwords: they subscribe, never publish
 * @param anonymous whether clients without credentials may connect on the plain port
 * @param reserved topic filters only millrace publishes on (its outputs)
 */
public record MqttAccess(
        int tlsPort,
        TlsSettings tls,
        String serviceUser,
        String servicePassword,
        Map<String, String> readers,
        boolean anonymous,
        List<String> reserved) {

    public MqttAccess {
        readers = Map.copyOf(readers);
        reserved = List.copyOf(reserved);
    }
}
