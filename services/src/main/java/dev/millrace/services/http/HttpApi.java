package dev.millrace.services.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.json.Json;
import dev.millrace.services.http.internal.BodyReader;
import dev.millrace.services.http.internal.HeaderDeadline;
import dev.millrace.services.http.internal.ProblemErrorHandler;
import dev.millrace.services.http.internal.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's HTTP server, on HTTP and optionally HTTPS: {@code /health} (JSON, one entry per
 * component, 200 when all are UP, 503 otherwise) and {@code /metrics} (Prometheus text). Services
 * add their own routes, as JDK {@link HttpHandler}s.
 *
 * <p>It runs on Jetty, with the limits of {@link HttpSettings.Limits}. A request goes through:
 *
 * <ol>
 *   <li>{@link HeaderDeadline}: the connection closes if the headers are not in by their deadline;
 *   <li>{@link GracefulHandler}: once {@link #close()} began, new requests get 503 and those in
 *       flight may finish, for up to the stop timeout;
 *   <li>{@link BodyReader}: the body is read into memory, without a thread, by its deadline;
 *   <li>{@link QoSHandler}: at most {@code maxRequests} handlers run at once, the next {@code
 *       maxQueued} requests wait (for up to the queue timeout), the rest get 503; {@code /health}
 *       and {@code /metrics} pass at once;
 *   <li>{@link Routes}: the route's handler runs on its thread, and may block.
 * </ol>
 *
 * Threads are held only by running handlers (and Jetty's acceptors and selectors), so slow clients
 * cannot starve the others of them.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** Threads beyond the handlers': acceptors, selectors, and the short non-blocking tasks. */
    private static final int SERVER_THREADS = 16;

    /**
     * Long-lived responses (event streams) open at once, each holding a thread of its own outside
     * the {@code maxRequests} that the services share; past it: 503.
     */
    public static final int MAX_STREAMS = 8;

    private final Server server;
    private final QueuedThreadPool threads;
    private final QoSHandler admission;
    private final Routes routes = new Routes();
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    /**
     * The API on {@code settings.port()}, and over HTTPS on {@code settings.tlsPort()} with {@code
     * tls} when that port is set. The ports are bound at once; requests are served from {@link
     * #start()}.
     */
    public HttpApi(
            HttpSettings settings, SSLContext tls, Health health, PrometheusMeterRegistry registry)
            throws IOException {
        HttpSettings.Limits limits = settings.limits();
        threads = new QueuedThreadPool(limits.maxRequests() + MAX_STREAMS + SERVER_THREADS);
        threads.setName("http");
        threads.setDaemon(true);
        server = new Server(threads, new ScheduledExecutorScheduler("http-timer", true), null);
        server.setStopTimeout(limits.stopTimeout().toMillis());
        server.setErrorHandler(new ProblemErrorHandler());

        admission = new QoSHandler(routes);
        admission.setMaxRequestCount(limits.maxRequests());
        admission.setMaxSuspendedRequestCount(limits.maxQueued());
        admission.setMaxSuspend(limits.queueTimeout());
        // Cheap, and asked by load balancers and scrapers that must get an answer under load.
        admission.excludePath("/health", "/metrics");
        HeaderDeadline headerDeadline =
                new HeaderDeadline(
                        limits.headerTimeout(),
                        new GracefulHandler(
                                new BodyReader(limits.bodyTimeout(), limits.maxBody(), admission)));
        server.setHandler(headerDeadline);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderSize());
        http.setSendServerVersion(false);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        plain.addEventListener(headerDeadline);
        connector(settings.host(), settings.port(), limits, plain);
        if (settings.tlsPort() != 0) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // As the JDK's server did: any host name the client asks for gets the one certificate.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            HttpConnectionFactory overTls = new HttpConnectionFactory(https);
            overTls.addEventListener(headerDeadline);
            connector(
                    settings.host(),
                    settings.tlsPort(),
                    limits,
                    new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    overTls);
        }
        try {
            for (Connector connector : server.getConnectors()) {
                ((ServerConnector) connector).open();
            }
        } catch (IOException e) {
            closeConnectors();
            throw e;
        }
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

    private void connector(
            String host, int port, HttpSettings.Limits limits, ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, factories);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(limits.acceptQueue());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
    }

    /** Serves {@code path} and every path that starts with it, unless a longer route matches. */
    public void route(String path, HttpHandler handler) {
        routes.add(path, handler);
    }

    /**
     * Serves {@code path} exactly with a long-lived response, such as Server-Sent Events: the
     * handler sends its headers with length 0, then writes and flushes as long as it likes. Streams
     * do not take a place among {@code http.max-requests}, so they never hold back the services; at
     * most {@link #MAX_STREAMS} run at once, and the next get 503. The handler must write at least
     * every {@code http.idle-timeout} (a comment line will do) and must return when its source
     * closes: the server waits for it on stop, as for any request in flight.
     */
    public void stream(String path, HttpHandler handler) {
        if (server.isStarted()) {
            throw new IllegalStateException("streams are added before the server starts");
        }
        admission.excludePath(path);
        route(
                path,
                exchange -> {
                    if (!streams.tryAcquire()) {
                        exchange.getResponseHeaders().set("Retry-After", "5");
                        send(
                                exchange,
                                503,
                                "text/plain; charset=utf-8",
                                "too many streams open; try again later\n");
                        return;
                    }
                    try {
                        handler.handle(exchange);
                    } finally {
                        streams.release();
                    }
                });
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP API did not start: " + e.getMessage(), e);
        }
    }

    /** Threads running a task now, Jetty's own included: what slow clients must not add to. */
    int busyThreads() {
        return threads.getBusyThreads();
    }

    /** Requests waiting for a handler to be free. */
    int queuedRequests() {
        return admission.getSuspendedRequestCount();
    }

    /** The port of plain HTTP: the one set, or the one the system gave for 0. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
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

    /**
     * Stops accepting connections and answers new requests 503, lets the requests in flight finish
     * for up to the stop timeout, then closes every connection.
     */
    @Override
    public void close() {
        if (!server.isStarted()) {
            closeConnectors();
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("the HTTP API stopped with requests unfinished: {}", e.toString());
        }
    }

    private void closeConnectors() {
        for (Connector connector : server.getConnectors()) {
            ((ServerConnector) connector).close();
        }
    }
}
