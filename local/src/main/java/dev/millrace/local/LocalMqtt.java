package dev.millrace.local;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An embedded HiveMQ CE broker (MQTT 3.1.1 and 5) on loopback. Sessions and queued QoS 1 messages
 * are kept under its folder, so persistent sessions survive {@link #restart()}, as they survive a
 * real broker's restart.
 */
public final class LocalMqtt implements AutoCloseable {
    private static final long START_SECONDS = 60;
    private static final long STOP_SECONDS = 10;

    private final Path conf;
    private final Path data;
    private final Path extensions;
    private final String host;
    private final int port;
    private EmbeddedHiveMQ broker;

    private LocalMqtt(Path dir, String host, int port) throws Exception {
        this.conf = Files.createDirectories(dir.resolve("conf"));
        this.data = Files.createDirectories(dir.resolve("data"));
        this.extensions = Files.createDirectories(dir.resolve("extensions"));
        this.host = host;
        this.port = port;
        Files.writeString(conf.resolve("config.xml"), config(host, port), StandardCharsets.UTF_8);
    }

    /** Starts a broker on {@code host:port} keeping its state under {@code dir}. */
    public static LocalMqtt start(Path dir, String host, int port) throws Exception {
        LocalMqtt mqtt = new LocalMqtt(dir, host, port);
        mqtt.startBroker();
        return mqtt;
    }

    /** Starts a broker on a free loopback port, as tests do. */
    public static LocalMqtt start(Path dir) throws Exception {
        return start(dir, "127.0.0.1", Ports.free());
    }

    public String url() {
        return "tcp://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker; its sessions and queued messages stay on disk. */
    public synchronized void stop() throws Exception {
        if (broker != null) {
            try {
                broker.stop().get(STOP_SECONDS, TimeUnit.SECONDS);
            } finally {
                broker.close();
                broker = null;
            }
        }
    }

    /** Stops and starts again on the same port and state. */
    public synchronized void restart() throws Exception {
        stop();
        startBroker();
    }

    private synchronized void startBroker() throws Exception {
        EmbeddedHiveMQ started =
                EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(data)
                        .withExtensionsFolder(extensions)
                        .withoutLoggingBootstrap()
                        .build();
        try {
            started.start().get(START_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            started.close();
            throw e;
        }
        broker = started;
    }

    private static String config(String host, int port) {
        return """
        <?xml version="1.0"?>
        <hivemq>
            <listeners>
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                </tcp-listener>
            </listeners>
            <mqtt>
                <queued-messages>
                    <!-- A subscriber's queue is where a burst waits for its acknowledgements
                         (the source connector acks only once Kafka has a message): HiveMQ's
                         default of 1000 discards the rest of a burst. -->
                    <max-queue-size>10000000</max-queue-size>
                    <strategy>discard</strategy>
                </queued-messages>
            </mqtt>
            <anonymous-usage-statistics>
                <enabled>false</enabled>
            </anonymous-usage-statistics>
        </hivemq>
        """
                .formatted(port, host);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
