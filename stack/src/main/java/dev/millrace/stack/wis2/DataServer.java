package dev.millrace.stack.wis2;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A WIS2 node's data server, as benches and fault runs download from: each path's bytes after a
 * fixed delay, 404 for a path it has nothing for, and 503 for everything while it is made to fail.
 */
public final class DataServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger failed = new AtomicInteger();
    private volatile boolean failing;

    /**
     * @param content the bytes of a path (without its leading slash), or null for none
     * @param delay how long each answer waits, as a distant server's would
     */
    public DataServer(Function<String, byte[]> content, Duration delay) throws IOException {
        noDelay();
        long delayNanos = delay.toNanos();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        threads =
                Executors.newFixedThreadPool(
                        256,
                        r -> {
                            Thread t = new Thread(r, "data-server");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(threads);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        if (delayNanos > 0) {
                            LockSupport.parkNanos(delayNanos);
                        }
                        if (failing) {
                            failed.incrementAndGet();
                            exchange.sendResponseHeaders(503, -1);
                            return;
                        }
                        byte[] body =
                                content.apply(exchange.getRequestURI().getPath().substring(1));
                        if (body == null) {
                            exchange.sendResponseHeaders(404, -1);
                            return;
                        }
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                });
        server.start();
    }

    /**
     * The JDK's server writes headers and body separately: without TCP_NODELAY each download's body
     * waits for the client's delayed ACK, about 40 ms on Linux. The server reads the setting once,
     * when the first one in the JVM is created.
     */
    private static void noDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** The URL of {@code path} on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** Makes every request fail with 503 from now on, or no longer. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Requests answered 503 so far. */
    public int failed() {
        return failed.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
