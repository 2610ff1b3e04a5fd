package dev.millrace.services.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.millrace.json.Json;
import dev.millrace.services.internal.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The stack's HTTP server, on HTTP and optionally HTTPS: {@code /health} (JSON, one entry per
 * component, 200 when all are UP, 503 otherwise) and {@code /metrics} (Prometheus text). Services
 * add their own routes.
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

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor;

    /**
     * The API on {@code settings.port()}, and over HTTPS on {@code settings.tlsPort()} with {@code
     * tls} when that port is set.
     */
    public HttpApi(
            HttpSettings settings, SSLContext tls, Health health, PrometheusMeterRegistry registry)
            throws IOException {
        executor = Executors.newFixedThreadPool(16, DaemonThreads.named("http"));
        servers.add(
                HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128));
        if (settings.tlsPort() != 0) {
            HttpsServer https =
                    HttpsServer.create(
                            new InetSocketAddress(settings.host(), settings.tlsPort()), 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            servers.add(https);
        }
        servers.forEach(server -> server.setExecutor(executor));
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
        servers.forEach(server -> server.createContext(path, handler));
    }

    public void start() {
        servers.forEach(HttpServer::start);
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
        servers.forEach(server -> server.stop(0));
        executor.shutdownNow();
    }
}
