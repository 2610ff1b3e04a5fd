package dev.millrace.connect.mqtt;

import dev.millrace.connect.internal.KeyedConfigException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * How the MQTT source and sink reach their brokers: addresses, identity, credentials, TLS and QoS.
 * Both connectors add {@link #define(ConfigDef)} to their own keys and read the values back with
 * {@link #from(AbstractConfig)}.
 */
public final class MqttConnectionConfig {
    public static final String BROKER_URLS = "mqtt.broker.urls";
    public static final String CLIENT_ID = "mqtt.client.id";
    public static final String USERNAME = "mqtt.username";
    public static final String PASSWORD = "mqtt.password";
    public static final String SSL_TRUSTSTORE_LOCATION = "mqtt.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "mqtt.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "mqtt.ssl.truststore.type";
    public static final String SSL_HOSTNAME_VERIFICATION = "mqtt.ssl.hostname.verification";
    public static final String QOS = "mqtt.qos";
    public static final String CONNECT_TIMEOUT_MS = "mqtt.connect.timeout.ms";
    public static final String KEEPALIVE_SECONDS = "mqtt.keepalive.seconds";
    public static final String RECONNECT_BACKOFF_MAX_MS = "mqtt.reconnect.backoff.max.ms";
    public static final String MAX_INFLIGHT = "mqtt.max.inflight";

    private static final String GROUP = "MQTT connection";

    private final List<MqttBroker> brokers;
    private final String clientIdPrefix;
    private final String username;
    private final Password password;
    private final SSLSocketFactory sslSocketFactory;
    private final boolean hostnameVerification;
    private final int qos;
    private final int connectTimeoutMs;
    private final int keepAliveSeconds;
    private final int reconnectBackoffMaxMs;
    private final int maxInflight;

    private MqttConnectionConfig(AbstractConfig config) {
        this.brokers = parseBrokers(config.getList(BROKER_URLS));
        this.clientIdPrefix = config.getString(CLIENT_ID);
        this.username = config.getString(USERNAME);
        this.password = config.getPassword(PASSWORD);
        this.hostnameVerification = config.getBoolean(SSL_HOSTNAME_VERIFICATION);
        this.qos = config.getInt(QOS);
        this.connectTimeoutMs = config.getInt(CONNECT_TIMEOUT_MS);
        this.keepAliveSeconds = config.getInt(KEEPALIVE_SECONDS);
        this.reconnectBackoffMaxMs = config.getInt(RECONNECT_BACKOFF_MAX_MS);
        this.maxInflight = config.getInt(MAX_INFLIGHT);
        String truststore = config.getString(SSL_TRUSTSTORE_LOCATION);
        this.sslSocketFactory =
                truststore == null
                        ? null
                        : loadTruststore(
                                truststore,
                                config.getPassword(SSL_TRUSTSTORE_PASSWORD),
                                config.getString(SSL_TRUSTSTORE_TYPE));
        if (sslSocketFactory != null) {
            for (MqttBroker broker : brokers) {
                // Paho refuses an SSL socket factory for a tcp:// URI, so one entry cannot mix
                // them.
                if (broker.anySsl() && !broker.allSsl()) {
                    throw new KeyedConfigException(
                            BROKER_URLS,
                            broker.entry(),
                            "an entry mixes tcp:// and ssl:// URIs while "
                                    + SSL_TRUSTSTORE_LOCATION
                                    + " is set");
                }
            }
        }
    }

    /** Reads and checks the connection keys of a config defined with {@link #define}. */
    public static MqttConnectionConfig from(AbstractConfig config) {
        return new MqttConnectionConfig(config);
    }

    /** Adds the connection keys to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def.define(
                        BROKER_URLS,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new BrokerUrlsValidator(),
                        Importance.HIGH,
                        "The MQTT brokers, comma-separated, each tcp://host:port or"
                            + " ssl://host:port. The source gives each entry its own connection and"
                            + " subscriptions; the sink takes exactly one entry. An entry may list"
                            + " failover URIs of one broker cluster separated by '|'.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Broker URLs")
                .define(
                        CLIENT_ID,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH,
                        "Prefix of the MQTT client ids. The source uses <prefix>-<i> for broker"
                                + " entry i, so its persistent session follows the broker whatever"
                                + " task connects; the sink uses <prefix>-<task number>. Client ids"
                                + " must be unique per broker: give each connector its own prefix.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Client id prefix")
                .define(
                        USERNAME,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "User name sent on connect; none by default.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "User name")
                .define(
                        PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password sent on connect; none by default.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Password")
                .define(
                        SSL_TRUSTSTORE_LOCATION,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "Truststore file with the CAs trusted for ssl:// brokers. Without it the"
                                + " JVM's default truststore is used.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Truststore location")
                .define(
                        SSL_TRUSTSTORE_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password of the truststore, if it has one.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Truststore password")
                .define(
                        SSL_TRUSTSTORE_TYPE,
                        Type.STRING,
                        "JKS",
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        "Type of the truststore file: JKS or PKCS12.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Truststore type")
                .define(
                        SSL_HOSTNAME_VERIFICATION,
                        Type.BOOLEAN,
                        true,
                        Importance.LOW,
                        "Whether an ssl:// broker's certificate must match its host name.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Hostname verification")
                .define(
                        QOS,
                        Type.INT,
                        1,
                        Range.between(0, 2),
                        Importance.HIGH,
                        "MQTT quality of service for subscriptions (source) and publications"
                                + " (sink). 0 may lose messages; 1 is at least once.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "QoS")
                .define(
                        CONNECT_TIMEOUT_MS,
                        Type.INT,
                        30_000,
                        Range.atLeast(1),
                        Importance.LOW,
                        "How long one connection attempt may take, in milliseconds (MQTT counts"
                                + " whole seconds: rounded up).",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Connect timeout")
                .define(
                        KEEPALIVE_SECONDS,
                        Type.INT,
                        60,
                        Range.between(0, 65_535),
                        Importance.LOW,
                        "MQTT keep-alive interval in seconds; a silent connection is considered"
                                + " lost after 1.5 times this. 0 turns keep-alive off.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Keep-alive")
                .define(
                        RECONNECT_BACKOFF_MAX_MS,
                        Type.INT,
                        5_000,
                        Range.atLeast(1_000),
                        Importance.LOW,
                        "Longest wait between two reconnection attempts, in milliseconds. Waits"
                                + " start at one second and double up to this.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Max reconnect backoff")
                .define(
                        MAX_INFLIGHT,
                        Type.INT,
                        1_000,
                        Range.between(1, 65_535),
                        Importance.LOW,
                        "How many QoS 1 or 2 publications the sink keeps unacknowledged at once."
                                + " A larger batch waits for earlier acknowledgements.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Max in-flight");
    }

    public List<MqttBroker> brokers() {
        return brokers;
    }

    public String clientIdPrefix() {
        return clientIdPrefix;
    }

    /**
     * The client id of connection {@code suffix}: a broker index (source) or a task number (sink).
     */
    public String clientId(int suffix) {
        return clientIdPrefix + "-" + suffix;
    }

    public int qos() {
        return qos;
    }

    public int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /**
     * Options for one broker. Paho keeps a reference to the returned object, so a caller may turn
     * automatic reconnect off on it before closing the client.
     */
    public MqttConnectOptions connectOptions(MqttBroker broker, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setServerURIs(broker.serverUris().toArray(String[]::new));
        // Pinned, so a failed connect is not retried as MQTT 3.1 with a different meaning.
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(reconnectBackoffMaxMs);
        options.setConnectionTimeout((int) Math.max(1, (connectTimeoutMs + 999L) / 1000));
        options.setKeepAliveInterval(keepAliveSeconds);
        options.setMaxInflight(maxInflight);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.value().toCharArray());
        }
        if (broker.allSsl()) {
            options.setSocketFactory(
                    NoDelaySockets.tls(
                            sslSocketFactory != null
                                    ? sslSocketFactory
                                    : (SSLSocketFactory) SSLSocketFactory.getDefault()));
        } else if (!broker.anySsl()) {
            options.setSocketFactory(NoDelaySockets.plain());
        }
        // An entry that mixes tcp:// and ssl:// URIs keeps Paho's own factory for each.
        options.setHttpsHostnameVerificationEnabled(hostnameVerification);
        return options;
    }

    private static List<MqttBroker> parseBrokers(List<String> entries) {
        List<MqttBroker> brokers = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            List<String> uris = Arrays.stream(entry.split("\\|")).map(String::trim).toList();
            brokers.add(new MqttBroker(i, entry, uris));
        }
        return List.copyOf(brokers);
    }

    private static SSLSocketFactory loadTruststore(
            String location, Password password, String type) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.value().toCharArray());
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (Exception e) {
            throw new KeyedConfigException(
                    SSL_TRUSTSTORE_LOCATION,
                    location,
                    "cannot load the " + type + " truststore: " + e.getMessage());
        }
    }

    /** Each entry: one or more tcp:// or ssl:// URIs with host and port, separated by '|'. */
    private static final class BrokerUrlsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            if (entries == null || entries.isEmpty()) {
                throw new ConfigException(name, value, "at least one broker is required");
            }
            for (String entry : entries) {
                for (String uri : entry.split("\\|", -1)) {
                    String problem = problemWith(uri.trim());
                    if (problem != null) {
                        throw new ConfigException(name, value, "'" + uri.trim() + "' " + problem);
                    }
                }
            }
        }

        private static String problemWith(String uri) {
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                return "is not a URI: " + e.getReason();
            }
            if (!"tcp".equals(parsed.getScheme()) && !"ssl".equals(parsed.getScheme())) {
                return "must start with tcp:// or ssl://";
            }
            if (parsed.getHost() == null || parsed.getPort() < 0) {
                return "must name a host and a port";
            }
            String path = parsed.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/"))
                    || parsed.getRawQuery() != null) {
                return "must have no path or query";
            }
            return null;
        }

        @Override
        public String toString() {
            return "tcp://host:port or ssl://host:port, failover URIs separated by '|'";
        }
    }
}
