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
public record HttpSettings(String host, int port) {
    public static final ConfigKey<String> HOST =
            ConfigKey.string(
                    "http.host",
                    "127.0.0.1",
                    "Address the HTTP API binds (0.0.0.0 in a container); the commands reach a"
                            + " running stack there.");
    public static final ConfigKey<Integer> PORT =
            ConfigKey.port(
                    "http.port", 8080, "Port of the HTTP API: /health, /metrics and the services.");

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(HOST, PORT));

    public static HttpSettings from(Config config) {
        return new HttpSettings(config.get(HOST), config.get(PORT));
    }

    /** The URL the commands reach the API at: a wildcard bind is reached on loopback. */
    public String url() {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + reachable + ":" + port;
    }
}
