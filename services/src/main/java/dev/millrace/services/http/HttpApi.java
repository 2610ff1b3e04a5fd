package dev.millrace.services.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.json.Json;
import dev.millrace.services.internal.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The stack's HTTP server: {@code /health} (JSON, one entry per component, 200 when all are UP, 503
 * otherwise) and {@code /metrics} (Prometheus text). Services add their own routes.
 */
public final class HttpApi implements AutoCloseable {
    static {
        noDelay();
    }

    /**
     * The JDK server writes headers and body separately: without TCP_NODELAY a small answer's body
     * waits for the client's delayed ACK, about 40 ms on Linux, on every request. The server reads
     * the setting once, when the first server in the JVM is created, so the command sets it first.
     */
    public static void noDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public HttpApi(String host, int port, Health health, PrometheusMeterRegistry registry)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 128);
        executor = Executors.newFixedThreadPool(16, DaemonThreads.named("http"));
        server.setExecutor(executor);
        route("/health", exchange -> health(exchange, health));
        route(
                "/metrics",
                exchange ->
                        send(
                                exchange,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                registry.scrape()));
    }

    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public void start() {
        server.start();
    }

    private static void health(HttpExchange exchange, Health health) throws IOException {
        Map<String, Health.Status> statuses = health.check();
        boolean allUp = statuses.values().stream().allMatch(Health.Status::up);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("status", allUp ? "UP" : "DOWN");
        ObjectNode components = body.putObject("components");
        statuses.forEach(
                (name, status) -> {
                    ObjectNode c = components.putObject(name);
                    c.put("status", status.up() ? "UP" : "DOWN");
                    if (!status.up()) {
                        c.put("reason", status.reason());
                    }
                });
        send(exchange, allUp ? 200 : 503, "application/json", body.toPrettyString());
    }

    public static void send(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
