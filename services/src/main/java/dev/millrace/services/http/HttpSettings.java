package dev.millrace.services.http;

import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.time.Duration;
import java.util.List;

/**
 * Where the HTTP API listens: {@code /health}, {@code /metrics} and each service's routes, and the
 * limits that keep slow or too many clients from taking the server down.
 *
 * @param host the address the server binds, and the one the commands reach a running stack at
 */
public record HttpSettings(String host, int port, int tlsPort, Limits limits) {
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

    public static final ConfigKey<Duration> IDLE_TIMEOUT =
            ConfigKey.duration(
                    "http.idle-timeout",
                    Duration.ofSeconds(30),
                    Duration.ofMillis(100),
                    "How long a connection may stay silent (no byte in or out) before the server"
                            + " closes it, between requests and within one.");
    public static final ConfigKey<Duration> HEADER_TIMEOUT =
            ConfigKey.duration(
                    "http.header-timeout",
                    Duration.ofSeconds(10),
                    Duration.ofMillis(100),
                    "Deadline for a request's line and headers, from the connection's opening"
                            + " (the first request) or from the request's first byte (later ones):"
                            + " past it the connection is closed, however steadily bytes trickle"
                            + " in.");
    public static final ConfigKey<Duration> BODY_TIMEOUT =
            ConfigKey.duration(
                    "http.body-timeout",
                    Duration.ofSeconds(60),
                    Duration.ofMillis(100),
                    "Deadline for a request's body, from the end of its headers: past it the"
                            + " answer is 408 and the connection is closed. Bodies are read without"
                            + " holding a thread, before the service sees the request.");
    public static final ConfigKey<Long> MAX_BODY =
            ConfigKey.bytes(
                    "http.max-body",
                    16L * 1024 * 1024,
                    1024,
                    1L << 30,
                    "Largest request body the server reads into memory; a service reading past"
                            + " it fails, with 413 unless it answers itself. Keep it above"
                            + " audit.max-body so the audit API gives its own 413.");
    public static final ConfigKey<Integer> MAX_REQUESTS =
            ConfigKey.integer(
                    "http.max-requests",
                    64,
                    1,
                    10_000,
                    "Requests the services handle at once (each holds a thread); the others wait"
                            + " in a queue of http.max-queued. /health and /metrics never wait.");
    public static final ConfigKey<Integer> MAX_QUEUED =
            ConfigKey.integer(
                    "http.max-queued",
                    256,
                    0,
                    100_000,
                    "Requests, with their bodies read, that may wait for one of http.max-requests;"
                            + " past it: 503 at once.");
    public static final ConfigKey<Duration> QUEUE_TIMEOUT =
            ConfigKey.duration(
                    "http.queue-timeout",
                    Duration.ofSeconds(10),
                    Duration.ofMillis(1),
                    "How long a request may wait in the queue of http.max-queued; past it: 503.");
    public static final ConfigKey<Integer> ACCEPT_QUEUE =
            ConfigKey.integer(
                    "http.accept-queue",
                    128,
                    1,
                    65_535,
                    "Connections the operating system holds for the server before it accepts them"
                            + " (the listen backlog); past it new connections are refused or"
                            + " retried by the client.");
    public static final ConfigKey<Long> MAX_HEADER_SIZE =
            ConfigKey.bytes(
                    "http.max-header-size",
                    8L * 1024,
                    1024,
                    1L << 20,
                    "Largest request line and headers together; over it: 431.");
    public static final ConfigKey<Duration> STOP_TIMEOUT =
            ConfigKey.duration(
                    "http.stop-timeout",
                    Duration.ofSeconds(3),
                    Duration.ZERO,
                    "On stop the server refuses new connections and requests (503) and lets the"
                            + " requests in flight finish for up to this long, then closes the"
                            + " rest (short enough that a stack stops within 10 s). 0: close at"
                            + " once.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            HOST,
                            PORT,
                            TLS_PORT,
                            IDLE_TIMEOUT,
                            HEADER_TIMEOUT,
                            BODY_TIMEOUT,
                            MAX_BODY,
                            MAX_REQUESTS,
                            MAX_QUEUED,
                            QUEUE_TIMEOUT,
                            ACCEPT_QUEUE,
                            MAX_HEADER_SIZE,
                            STOP_TIMEOUT));

    /** What the server allows each client, and all of them together. */
    public record Limits(
            Duration idleTimeout,
            Duration headerTimeout,
            Duration bodyTimeout,
            int maxBody,
            int maxRequests,
            int maxQueued,
            Duration queueTimeout,
            int acceptQueue,
            int maxHeaderSize,
            Duration stopTimeout) {}

    public static HttpSettings from(Config config) {
        return new HttpSettings(
                config.get(HOST),
                config.get(PORT),
                config.get(TLS_PORT),
                new Limits(
                        config.get(IDLE_TIMEOUT),
                        config.get(HEADER_TIMEOUT),
                        config.get(BODY_TIMEOUT),
                        Math.toIntExact(config.get(MAX_BODY)),
                        config.get(MAX_REQUESTS),
                        config.get(MAX_QUEUED),
                        config.get(QUEUE_TIMEOUT),
                        config.get(ACCEPT_QUEUE),
                        Math.toIntExact(config.get(MAX_HEADER_SIZE)),
                        config.get(STOP_TIMEOUT)));
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
