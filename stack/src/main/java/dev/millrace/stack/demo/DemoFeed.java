package dev.millrace.stack.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.wis2.WnmBuilder;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small WIS2 Node for the demo: every few seconds it publishes a notification of a new
 * observation on {@code origin/a/wis2/xx-millrace-demo/...}, now and then twice (the cache keeps
 * one), and serves the observations from {@code /wis2/demo/} on the stack's HTTP API.
 */
public final class DemoFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoFeed.class);
    public static final String PATH = "/wis2/demo/";
    public static final String TOPIC =
            "origin/a/wis2/xx-millrace-demo/data/core/weather/surface-based-observations/synop";

    private final MqttClient client;
    private final String dataBaseUrl;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "wis2-demo-feed");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicLong sequence = new AtomicLong();

    public DemoFeed(String mqttUrl, String httpUrl) throws MqttException {
        this.client = new MqttClient(mqttUrl, "millrace-wis2-demo", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        client.connect(options);
        this.dataBaseUrl = httpUrl + PATH;
    }

    /** The observation a demo file holds: made up from its name, the same every time. */
    static byte[] observation(String name) {
        return ("BUFR demo observation " + name + "\n").repeat(64).getBytes(StandardCharsets.UTF_8);
    }

    /** Serves {@code /wis2/demo/<name>}. */
    public static HttpHandler files() {
        return (HttpExchange exchange) -> {
            String name = exchange.getRequestURI().getPath().substring(PATH.length());
            byte[] body = observation(name);
            exchange.getResponseHeaders().set("Content-Type", "application/bufr");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    public void start() {
        timer.scheduleAtFixedRate(this::publishOne, 1, 3, TimeUnit.SECONDS);
    }

    private void publishOne() {
        long n = sequence.incrementAndGet();
        String name = "obs-" + n + ".bufr4";
        byte[] data = observation(name);
        Instant now = Instant.now();
        byte[] payload =
                WnmBuilder.notification(
                                UUID.randomUUID().toString(),
                                "xx-millrace-demo/data/core/weather/synop/" + name,
                                now.truncatedTo(ChronoUnit.MILLIS).toString())
                        .datetime(now.truncatedTo(ChronoUnit.MINUTES).toString())
                        .point(6.1432, 46.2044)
                        .integrityOf("sha256", data)
                        .link("canonical", dataBaseUrl + name, "application/bufr", data.length)
                        .bytes();
        try {
            client.publish(TOPIC, payload, 1, false);
            if (n % 4 == 0) {
                // A second broker would deliver the same message again: the cache keeps one.
                client.publish(TOPIC, payload, 1, false);
            }
        } catch (MqttException e) {
            log.warn("demo WIS2 notification not published: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            log.debug("closing the demo feed's MQTT client: {}", e.getMessage());
        }
    }
}
