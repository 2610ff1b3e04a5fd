package dev.millrace.services.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.millrace.wis2.CacheStep;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Downloads against a real HTTP server on loopback that answers as it is told. */
class DownloaderTest {
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    requests.incrementAndGet();
                    int status = answers.isEmpty() ? 200 : answers.poll();
                    byte[] body = status == 200 ? "0123456789".getBytes() : new byte[0];
                    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/a.bufr4";
    }

    @Test
    void retriesServerErrorsThenReturnsTheData() throws Exception {
        answers.add(503);
        answers.add(500);

        byte[] data = new Downloader(Duration.ofSeconds(5), 1024, 3).fetch(url());

        assertThat(new String(data)).isEqualTo("0123456789");
        assertThat(requests).hasValue(3);
    }

    @Test
    void givesUpAfterTheLastRetryNamingTheLastAnswer() {
        for (int i = 0; i < 3; i++) {
            answers.add(502);
        }

        assertThatThrownBy(() -> new Downloader(Duration.ofSeconds(5), 1024, 2).fetch(url()))
                .isInstanceOf(CacheStep.FetchException.class)
                .hasMessage(url() + " answered HTTP 502 (after 3 attempts)");
        assertThat(requests).hasValue(3);
    }

    @Test
    void aClientErrorIsNotRetried() {
        answers.add(404);

        assertThatThrownBy(() -> new Downloader(Duration.ofSeconds(5), 1024, 3).fetch(url()))
                .isInstanceOf(CacheStep.FetchException.class)
                .hasMessage(url() + " answered HTTP 404");
        assertThat(requests).hasValue(1);
    }

    @Test
    void refusesObjectsOverTheSizeCap() {
        assertThatThrownBy(() -> new Downloader(Duration.ofSeconds(5), 9, 0).fetch(url()))
                .isInstanceOf(CacheStep.FetchException.class)
                .hasMessageContaining("larger than wis2.fetch.max-bytes (9)");
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        assertThatThrownBy(
                        () ->
                                new Downloader(Duration.ofSeconds(5), 9, 0)
                                        .fetch("ftp://example.org/a"))
                .isInstanceOf(CacheStep.FetchException.class)
                .hasMessage("not an http(s) URL: ftp://example.org/a");
        assertThat(requests).hasValue(0);
    }
}
