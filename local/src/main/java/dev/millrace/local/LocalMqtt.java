package dev.millrace.local;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An embedded HiveMQ CE broker (MQTT 3.1.1 and 5) on loopback. Sessions and queued QoS 1 messages
 * are kept under its folder, so persistent sessions survive {@link #restart()}, as they survive a
 * real broker's restart. Open to anyone, or with {@link MqttAccess}: a TLS listener too, accounts,
 * and topics only millrace may publish.
 */
public final class LocalMqtt implements AutoCloseable {
    private static final long START_SECONDS = 60;
    private static final long STOP_SECONDS = 10;

    /**
     * HiveMQ splits each of its five stores into buckets, one database each, all opened at start
     * and closed at stop: 64 by default, sized for a many-core server. Four serve a broker on a
     * laptop, and its start takes about a second less CPU.
     */
    static final int BUCKETS = 4;

    private static final Pattern SESSION_BUCKET = Pattern.compile("client_session_store_(\\d+)");

    private final Path conf;
    private final Path data;
    private final Path extensions;
    private final String host;
    private final int port;
    private final MqttAccess access;
    private EmbeddedHiveMQ broker;

    private LocalMqtt(Path dir, String host, int port, MqttAccess access) throws Exception {
        this.conf = Files.createDirectories(dir.resolve("conf"));
        this.data = Files.createDirectories(dir.resolve("data"));
        this.extensions = Files.createDirectories(dir.resolve("extensions"));
        this.host = host;
        this.port = port;
        this.access = access;
        Files.writeString(
                conf.resolve("config.xml"), config(host, port, access), StandardCharsets.UTF_8);
    }

    /** Starts a broker open to anyone on {@code host:port} keeping its state under {@code dir}. */
    public static LocalMqtt start(Path dir, String host, int port) throws Exception {
        return start(dir, host, port, null);
    }

    /** Starts a broker on {@code host:port} whose use {@code access} governs (null: open). */
    public static LocalMqtt start(Path dir, String host, int port, MqttAccess access)
            throws Exception {
        LocalMqtt mqtt = new LocalMqtt(dir, host, port, access);
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

    /** The MQTT-over-TLS URL, when the broker has a TLS listener. */
    public String tlsUrl() {
        if (access == null) {
            throw new IllegalStateException("this broker has no TLS listener");
        }
        return "ssl://" + host + ":" + access.tlsPort();
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

    /**
     * The topic filters a client's session is subscribed to now: what the broker delivers or, for a
     * persistent session whose client is away, queues for it.
     */
    public Set<String> subscriptions(String clientId) throws Exception {
        Set<String> filters = new TreeSet<>();
        Services.subscriptionStore()
                .getSubscriptions(clientId)
                .get(START_SECONDS, TimeUnit.SECONDS)
                .forEach(s -> filters.add(s.getTopicFilter()));
        return filters;
    }

    /** Stops and starts again on the same port and state. */
    public synchronized void restart() throws Exception {
        stop();
        startBroker();
    }

    /**
     * The bucket count of the stores under {@code data}: the one they were made with, since a
     * client's bucket is its hash modulo the count, or {@link #BUCKETS} for a new folder.
     */
    static int buckets(Path data) throws Exception {
        Path sessions = data.resolve("persistence").resolve("client_session_store");
        if (!Files.isDirectory(sessions)) {
            return BUCKETS;
        }
        int count = 0;
        try (Stream<Path> files = Files.walk(sessions, 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher bucket = SESSION_BUCKET.matcher(file.getFileName().toString());
                if (bucket.matches()) {
                    count = Math.max(count, Integer.parseInt(bucket.group(1)) + 1);
                }
            }
        }
        return count == 0 ? BUCKETS : count;
    }

    private synchronized void startBroker() throws Exception {
        // HiveMQ reads its bucket counts from process-wide settings while it starts.
        synchronized (LocalMqtt.class) {
            int buckets = buckets(data);
            InternalConfigurations.PERSISTENCE_BUCKET_COUNT.set(buckets);
            InternalConfigurations.PAYLOAD_PERSISTENCE_BUCKET_COUNT.set(buckets);
            broker = launch();
        }
    }

    private EmbeddedHiveMQ launch() throws Exception {
        EmbeddedHiveMQBuilder builder =
                EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(data)
                        .withExtensionsFolder(extensions)
                        .withoutLoggingBootstrap();
        if (access != null) {
            builder.withEmbeddedExtension(accessExtension(access));
        }
        EmbeddedHiveMQ started = builder.build();
        try {
            started.start().get(START_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    private static EmbeddedExtension accessExtension(MqttAccess access) {
        MqttAuthenticator authenticator = new MqttAuthenticator(access);
        return EmbeddedExtension.builder()
                .withId("millrace-access")
                .withName("millrace access")
                .withVersion("1")
                .withAuthor("millrace")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(
                        new ExtensionMain() {
                            @Override
                            public void extensionStart(
                                    ExtensionStartInput input, ExtensionStartOutput output) {
                                Services.securityRegistry()
                                        .setAuthenticatorProvider(provider -> authenticator);
                            }

                            @Override
                            public void extensionStop(
                                    ExtensionStopInput input, ExtensionStopOutput output) {}
                        })
                .build();
    }

    private static String config(String host, int port, MqttAccess access) {
        String tls = "";
        if (access != null) {
            String password = xml(access.tls().password());
            tls =
                    """
                    <tls-tcp-listener>
                        <port>%d</port>
                        <bind-address>%s</bind-address>
                        <tls>
                            <keystore>
                                <path>%s</path>
                                <password>%s</password>
                                <private-key-password>%s</private-key-password>
                            </keystore>
                            <client-authentication-mode>NONE</client-authentication-mode>
                        </tls>
                    </tls-tcp-listener>
                    """
                            .formatted(
                                    access.tlsPort(),
                                    xml(host),
                                    xml(access.tls().keystore().toAbsolutePath().toString()),
                                    password,
                                    password);
        }
        return """
        <?xml version="1.0"?>
        <hivemq>
            <listeners>
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                </tcp-listener>
                %s
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
                .formatted(port, xml(host), tls);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
