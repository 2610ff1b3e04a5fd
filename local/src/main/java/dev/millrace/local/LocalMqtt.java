package dev.millrace.local;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An embedded HiveMQ CE broker (MQTT 3.1.1 and 5) on loopback. Sessions and queued QoS 1 messages
 * are kept under the data dir, so persistent sessions survive a restart.
 */
public final class LocalMqtt implements AutoCloseable {
    private final EmbeddedHiveMQ broker;

    private LocalMqtt(EmbeddedHiveMQ broker) {
        this.broker = broker;
    }

    public static LocalMqtt start(Path dir, String host, int port) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), config(host, port), StandardCharsets.UTF_8);
        EmbeddedHiveMQ broker =
                EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(data)
                        .withExtensionsFolder(extensions)
                        .withoutLoggingBootstrap()
                        .build();
        try {
            broker.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return new LocalMqtt(broker);
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
        broker.stop().get(10, TimeUnit.SECONDS);
        broker.close();
    }
}
