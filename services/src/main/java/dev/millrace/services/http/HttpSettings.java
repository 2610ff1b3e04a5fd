package dev.millrace.services.http;

import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.util.List;

/**
 * Where the HTTP API listens: {@code /health}, {@code /metrics} and each service's routes.
 *
 * @param host the address the server binds, and the one the commands reach a running stack at
 */
public record HttpSettings(String host, int port, int tlsPort) {
    public static final ConfigKey<String> HOST =
            ConfigKey.string(
                    "http.host",
                    "127.0.0.1",
                    "Address the HTTP API binds (0.0.0.0 in a container); the commands reach a"
                            + " running stack there.");
    public static final ConfigKey<Integer> PORT =
            ConfigKey.port(
                    "http.port", 8080, "Port of the HTTP API: /health, /metrics and the services.");

    public static final ConfigKey<Integer> TLS_PORT =
            ConfigKey.integer(
                    "http.tls-port",
                    0,
                    0,
                    65535,
                    "Port of the same API over HTTPS, with the certificate of tls.keystore (the"
                            + " local stack's own when unset). 0: no HTTPS.");

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(HOST, PORT, TLS_PORT));

    public static HttpSettings from(Config config) {
        return new HttpSettings(config.get(HOST), config.get(PORT), config.get(TLS_PORT));
    }

    /** The URL the commands reach the API at: a wildcard bind is reached on loopback. */
    public String url() {
        return "http://" + reachable() + ":" + port;
    }

    /** The HTTPS URL of the API, when it serves HTTPS. */
    public String tlsUrl() {
        if (tlsPort == 0) {
            throw new IllegalStateException("no " + TLS_PORT.name() + " set");
        }
        return "https://" + reachable() + ":" + tlsPort;
    }

    private String reachable() {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }
}
