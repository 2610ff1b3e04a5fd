package dev.millrace.services.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpHandler;
import dev.millrace.config.Config;
import dev.millrace.config.TlsSettings;
import dev.millrace.local.SelfSignedKeystore;
import dev.millrace.local.testing.Trust;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server against real clients on loopback: a client that trickles its headers or its body
 * is cut off at the deadline without holding a thread while others are served, requests over the
 * limit wait or are refused, a stop lets the requests in flight finish, and HTTPS serves the same
 * routes.
 */
class HttpApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    /** How late after its deadline a slow client may be cut off: a sweep, a busy machine. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    private static final Duration TRICKLE_EVERY = Duration.ofMillis(100);

    private final Health health = new Health();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        health.close();
        registry.close();
    }

    /** A started API on an ephemeral port, with 1 s header and body deadlines and these flags. */
    private HttpApi start(Map<String, String> flags) throws IOException {
        return start(flags, 0, null);
    }

    private HttpApi start(Map<String, String> flags, int tlsPort, TlsSettings tls)
            throws IOException {
        HttpApi started = create(flags, tlsPort, tls);
        started.start();
        return started;
    }

    /** The API with its ports bound, not started yet. */
    private HttpApi create(Map<String, String> flags, int tlsPort, TlsSettings tls)
            throws IOException {
        Map<String, String> all = new HashMap<>();
        all.put(HttpSettings.HEADER_TIMEOUT.name(), DEADLINE.toMillis() + "ms");
        all.put(HttpSettings.BODY_TIMEOUT.name(), DEADLINE.toMillis() + "ms");
        all.putAll(flags);
        HttpSettings.Limits limits =
                HttpSettings.from(Config.builder(HttpSettings.KEYS).flags(all).build()).limits();
        return new HttpApi(
                new HttpSettings("127.0.0.1", 0, tlsPort, limits),
                tls == null ? null : tls.serverContext(),
                health,
                registry);
    }

    @Test
    void servesHealthAndAnswersAnUnknownPathWithAProblem() throws Exception {
        health.register("part", () -> null);
        api = start(Map.of());

        HttpResponse<String> up = get("/health");
        HttpResponse<String> unknown = get("/nothing-here");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\" : \"UP\"");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        assertThat(unknown.body()).contains("\"status\":404");
    }

    @Test
    void closesAConnectionWhoseHeadersTrickleInPastTheDeadline() throws Exception {
        api = start(Map.of());
        get("/health");
        int idleThreads = idleBusyThreads();

        long opened = System.nanoTime();
        try (Socket slow = new Socket("127.0.0.1", api.port());
                Trickle trickle =
                        new Trickle(
                                slow,
                                "GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: "
                                        + "a".repeat(200)
                                        + "\r\n\r\n")) {
            await(() -> trickle.sent() >= 3, "the slow client sending its first bytes");

            assertThat(get("/health").statusCode()).isEqualTo(200);
            await(
                    () -> api.busyThreads() <= idleThreads,
                    "no thread busy with the slow client (" + idleThreads + " busy when idle)");
            Cut cut = awaitCutOff(slow, opened);

            assertThat(cut.answer()).isEmpty();
            assertThat(cut.after()).isBetween(DEADLINE.minusMillis(50), DEADLINE.plus(MARGIN));
            assertThat(trickle.sent()).isLessThan(trickle.length());
        }
    }

    @Test
    void answers408WhenABodyTricklesInPastTheDeadline() throws Exception {
        api = start(Map.of());
        AtomicInteger handled = new AtomicInteger();
        api.route("/echo", echo(handled));
        get("/health");
        int idleThreads = idleBusyThreads();

        try (Socket slow = new Socket("127.0.0.1", api.port())) {
            OutputStream out = slow.getOutputStream();
            out.write(
                    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 200\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long headersSent = System.nanoTime();
            try (Trickle trickle = new Trickle(slow, "b".repeat(200))) {
                await(() -> trickle.sent() >= 3, "the slow client sending its first bytes");

                HttpResponse<String> other =
                        client.send(
                                HttpRequest.newBuilder(uri("/echo"))
                                        .POST(HttpRequest.BodyPublishers.ofString("quick"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(other.body()).isEqualTo("quick");
                await(
                        () -> api.busyThreads() <= idleThreads,
                        "no thread busy with the slow client (" + idleThreads + " when idle)");
                Cut cut = awaitCutOff(slow, headersSent);

                assertThat(cut.answer()).startsWith("HTTP/1.1 408 ");
                assertThat(cut.after()).isBetween(DEADLINE.minusMillis(50), DEADLINE.plus(MARGIN));
                assertThat(trickle.sent()).isLessThan(trickle.length());
            }
        }
        assertThat(handled).as("requests that reached the handler").hasValue(1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        api = start(Map.of(HttpSettings.MAX_BODY.name(), "1KiB"));
        AtomicInteger handled = new AtomicInteger();
        api.route("/echo", echo(handled));

        HttpResponse<String> tooLarge =
                client.send(
                        HttpRequest.newBuilder(uri("/echo"))
                                .POST(HttpRequest.BodyPublishers.ofString("c".repeat(64 * 1024)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> atTheLimit =
                client.send(
                        HttpRequest.newBuilder(uri("/echo"))
                                .POST(HttpRequest.BodyPublishers.ofString("d".repeat(1024)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        assertThat(atTheLimit.statusCode()).isEqualTo(200);
        assertThat(atTheLimit.body()).hasSize(1024);
        assertThat(handled).as("bodies read whole").hasValue(1);
    }

    @Test
    void runsAtMostMaxRequestsAtOnceQueuesTheNextAndRefusesTheRest() throws Exception {
        api =
                start(
                        Map.of(
                                HttpSettings.MAX_REQUESTS.name(), "2",
                                HttpSettings.MAX_QUEUED.name(), "1"));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        api.route(
                "/slow",
                exchange -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        running.decrementAndGet();
                    }
                    HttpApi.send(exchange, 200, "text/plain", "done");
                });

        CompletableFuture<HttpResponse<String>> first = getAsync("/slow");
        CompletableFuture<HttpResponse<String>> second = getAsync("/slow");
        await(() -> running.get() == 2, "two slow requests running");
        CompletableFuture<HttpResponse<String>> queued = getAsync("/slow");
        await(() -> api.queuedRequests() == 1, "a third request queued");
        HttpResponse<String> refused = get("/slow");
        HttpResponse<String> healthy = get("/health");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(healthy.statusCode()).as("health is never queued").isEqualTo(200);
        assertThat(queued).isNotDone();
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> answer : List.of(first, second, queued)) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(mostAtOnce).hasValue(2);
    }

    @Test
    void streamsSendEachFlushAtOnceTakeNoRequestSlotAndAreCapped() throws Exception {
        api = create(Map.of(HttpSettings.MAX_REQUESTS.name(), "1"), 0, null);
        CountDownLatch release = new CountDownLatch(1);
        api.stream(
                "/events",
                exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    out.write("data: last\n\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                });
        api.route("/plain", exchange -> HttpApi.send(exchange, 200, "text/plain", "plain"));
        api.start();

        List<Iterator<String>> open = new ArrayList<>();
        for (int i = 0; i < HttpApi.MAX_STREAMS; i++) {
            HttpResponse<Stream<String>> stream =
                    client.send(
                            HttpRequest.newBuilder(uri("/events")).build(),
                            HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            Iterator<String> lines = stream.body().iterator();
            assertThat(lines.next())
                    .as("an event flushed reaches the client while its stream is open")
                    .isEqualTo("data: first");
            open.add(lines);
        }
        HttpResponse<String> overTheCap = get("/events");
        HttpResponse<String> plain = get("/plain");

        assertThat(overTheCap.statusCode()).isEqualTo(503);
        assertThat(plain.statusCode())
                .as("open streams leave the one request slot free")
                .isEqualTo(200);
        release.countDown();
        for (Iterator<String> lines : open) {
            List<String> rest = new ArrayList<>();
            lines.forEachRemaining(rest::add);
            assertThat(rest).containsExactly("", "data: last", "");
        }
    }

    @Test
    void aStreamWhoseClientHasGoneEndsAtItsNextWriteAndFreesItsPlace() throws Exception {
        api = create(Map.of(), 0, null);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger opened = new AtomicInteger();
        api.stream(
                "/events",
                exchange -> {
                    opened.incrementAndGet();
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    try {
                        while (true) {
                            out.write("data: tick\n\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            Thread.sleep(50);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        ended.countDown();
                    }
                });
        api.start();

        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.getOutputStream()
                    .write(
                            "GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(
                            new String(
                                    socket.getInputStream().readNBytes(12),
                                    StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
        }

        assertThat(ended.await(10, TimeUnit.SECONDS)).as("the handler saw its client go").isTrue();
        for (int i = 0; i < HttpApi.MAX_STREAMS; i++) {
            HttpResponse<Stream<String>> again =
                    client.send(
                            HttpRequest.newBuilder(uri("/events")).build(),
                            HttpResponse.BodyHandlers.ofLines());
            assertThat(again.statusCode()).as("its place is free again").isEqualTo(200);
        }
        assertThat(opened).hasValue(1 + HttpApi.MAX_STREAMS);
    }

    @Test
    void closeLetsARequestInFlightFinishAndRefusesNewConnections() throws Exception {
        api = start(Map.of(HttpSettings.STOP_TIMEOUT.name(), "20s"));
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        api.route(
                "/slow",
                exchange -> {
                    inHandler.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    HttpApi.send(exchange, 200, "text/plain", "finished");
                });
        int port = api.port();
        CompletableFuture<HttpResponse<String>> inFlight = getAsync("/slow");
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closing = new Thread(api::close, "closing-api");
        closing.start();
        await(() -> refusesConnections(port), "new connections refused");

        assertThat(inFlight).isNotDone();
        release.countDown();
        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("finished");
        closing.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(closing.isAlive()).as("close still waiting").isFalse();
    }

    @Test
    void servesHealthOverHttpsWithTheGivenContext(@TempDir Path dir) throws Exception {
        health.register("part", () -> null);
        TlsSettings tls = SelfSignedKeystore.ensure(dir, "127.0.0.1");
        int tlsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            tlsPort = socket.getLocalPort();
        }
        api = start(Map.of(), tlsPort, tls);
        HttpClient https =
                HttpClient.newBuilder()
                        .sslContext(Trust.context(dir.resolve(SelfSignedKeystore.CERTIFICATE)))
                        .build();

        HttpResponse<String> up =
                https.send(
                        HttpRequest.newBuilder(
                                        URI.create("https://127.0.0.1:" + tlsPort + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\" : \"UP\"");
    }

    @Test
    void cutsOffAClientThatNeverFinishesItsTlsHandshakeAtTheHeaderDeadline(@TempDir Path dir)
            throws Exception {
        TlsSettings tls = SelfSignedKeystore.ensure(dir, "127.0.0.1");
        int tlsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            tlsPort = socket.getLocalPort();
        }
        api = start(Map.of(), tlsPort, tls);

        long opened = System.nanoTime();
        try (Socket silent = new Socket("127.0.0.1", tlsPort)) {
            Cut cut = awaitCutOff(silent, opened);

            assertThat(cut.answer()).isEmpty();
            assertThat(cut.after()).isBetween(DEADLINE.minusMillis(50), DEADLINE.plus(MARGIN));
        }
    }

    /** Answers with the body it was sent, read whole. */
    private static HttpHandler echo(AtomicInteger handled) {
        return exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            handled.incrementAndGet();
            HttpApi.send(
                    exchange, 200, "text/plain", new String(body, StandardCharsets.ISO_8859_1));
        };
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(
                HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server's busy threads with no request in flight: its acceptors and selectors. */
    private int idleBusyThreads() throws InterruptedException {
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            fewest = Math.min(fewest, api.busyThreads());
            Thread.sleep(20);
        }
        return fewest;
    }

    private static boolean refusesConnections(int port) {
        try {
            new Socket("127.0.0.1", port).close();
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** How a slow client's connection ended: what it read, and when, since {@code from}. */
    private record Cut(String answer, Duration after) {}

    /** Reads until the server closes the connection; fails if it is still open past the margin. */
    private static Cut awaitCutOff(Socket socket, long from) throws IOException {
        long giveUp = from + DEADLINE.plus(MARGIN).plusSeconds(5).toNanos();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime());
            if (left <= 0) {
                fail("the server still keeps the slow client's connection open");
            }
            socket.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                n = -1; // reset: closed with the client's bytes unread
            }
            if (n < 0) {
                return new Cut(
                        answer.toString(StandardCharsets.ISO_8859_1),
                        Duration.ofNanos(System.nanoTime() - from));
            }
            answer.write(buffer, 0, n);
        }
    }

    /** Writes a text one byte at a time, every {@link #TRICKLE_EVERY}, until done or cut off. */
    private static final class Trickle implements AutoCloseable {
        private final byte[] bytes;
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;

        Trickle(Socket socket, String text) {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
            this.thread =
                    new Thread(
                            () -> {
                                try {
                                    OutputStream out = socket.getOutputStream();
                                    for (byte b : bytes) {
                                        out.write(b);
                                        out.flush();
                                        sent.incrementAndGet();
                                        Thread.sleep(TRICKLE_EVERY.toMillis());
                                    }
                                } catch (IOException | InterruptedException e) {
                                    // Cut off, or told to stop.
                                }
                            },
                            "trickle");
            thread.setDaemon(true);
            thread.start();
        }

        int sent() {
            return sent.get();
        }

        int length() {
            return bytes.length;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
