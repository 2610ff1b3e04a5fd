package dev.millrace.connect.mqtt.testing;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real HiveMQ CE broker on a free loopback port. Sessions and queued messages live in the data
 * folder, so {@link #restart()} keeps persistent sessions, as a broker restart would.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final long START_SECONDS = 60;
    private static final long STOP_SECONDS = 30;

    private final Path conf;
    private final Path data;
    private final Path extensions;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(Path dir, int port) throws IOException {
        this.conf = Files.createDirectories(dir.resolve("conf"));
        this.data = Files.createDirectories(dir.resolve("data"));
        this.extensions = Files.createDirectories(dir.resolve("extensions"));
        this.port = port;
        Files.writeString(conf.resolve("config.xml"), config(port), StandardCharsets.UTF_8);
    }

    public static EmbeddedBroker start(Path dir) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(dir, freePort());
        broker.startBroker();
        return broker;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public void stop() throws Exception {
        if (hivemq != null) {
            try {
                hivemq.stop().get(STOP_SECONDS, TimeUnit.SECONDS);
            } finally {
                hivemq.close();
                hivemq = null;
            }
        }
    }

    /** Stops and starts again on the same port and data folder. */
    public void restart() throws Exception {
        stop();
        startBroker();
    }

    public void startBroker() throws Exception {
        EmbeddedHiveMQ broker =
                EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(data)
                        .withExtensionsFolder(extensions)
                        .withoutLoggingBootstrap()
                        .build();
        try {
            broker.start().get(START_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        hivemq = broker;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String config(int port) {
        return """
        <?xml version="1.0"?>
        <hivemq>
            <listeners>
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>127.0.0.1</bind-address>
                </tcp-listener>
            </listeners>
            <anonymous-usage-statistics>
                <enabled>false</enabled>
            </anonymous-usage-statistics>
        </hivemq>
        """
                .formatted(port);
    }
}
