package dev.millrace.stack;

import dev.millrace.audit.AuditSettings;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.local.Ports;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.services.http.HttpSettings;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.telemetry.RaceRules;
import dev.millrace.telemetry.TelemetrySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its data and which loopback ports it listens on, and the pipelines'
 * settings pointed at the stack's own servers.
 *
 * @param config every key as given, with {@code kafka.bootstrap-servers} and {@code s3.endpoint}
 *     set to the stack's own servers
 */
public record LocalStackSettings(
        Path dataDir,
        String host,
        int kafkaPort,
        int controllerPort,
        int mqttPort,
        int mqttTlsPort,
        int s3Port,
        int connectPort,
        HttpSettings http,
        Config config) {

    public static final ConfigKey<String> HOST =
            ConfigKey.string(
                    "local.host",
                    "127.0.0.1",
                    "Address every local server listens on and advertises.");
    public static final ConfigKey<Integer> KAFKA_PORT =
            ConfigKey.port(
                    "local.kafka.port",
                    9092,
                    "Port of the local Kafka broker (with local.kafka.brokers=N, of the first;"
                            + " the others take the next ports).");
    public static final ConfigKey<Integer> CONTROLLER_PORT =
            ConfigKey.port(
                    "local.kafka.controller-port",
                    9093,
                    "Port of the local broker's KRaft controller listener (with"
                            + " local.kafka.brokers=N, of the first; the others take the next"
                            + " ports).");
    private static final int BROKERS_MAX = 5;
    public static final ConfigKey<Integer> BROKERS =
            ConfigKey.integer(
                    "local.kafka.brokers",
                    1,
                    1,
                    BROKERS_MAX,
                    "Nodes of the local Kafka cluster. 1: one broker in the stack's JVM. More: a"
                            + " process per node (broker and controller), topics with 3 replicas"
                            + " and min.insync.replicas=2 as on MSK, each node killable and"
                            + " restartable alone.");
    public static final ConfigKey<Integer> MQTT_PORT =
            ConfigKey.port("local.mqtt.port", 1883, "Port of the local MQTT broker.");
    public static final ConfigKey<Integer> MQTT_TLS_PORT =
            ConfigKey.port(
                    "local.mqtt.tls-port",
                    8883,
                    "Port of the local MQTT broker over TLS (certificate of tls.keystore, or the"
                            + " one made at first start); clients there must log in.");
    public static final ConfigKey<List<String>> MQTT_READERS =
            ConfigKey.list(
                    "local.mqtt.readers",
                    List.of("everyone:everyone"),
                    "Read-only accounts of the local MQTT broker, user:password, comma-separated:"
                            + " they may subscribe to anything and publish nothing (the WIS2"
                            + " convention).");
    public static final ConfigKey<Boolean> MQTT_ANONYMOUS =
            ConfigKey.bool(
                    "local.mqtt.anonymous",
                    true,
                    "Whether clients without credentials may use the plain MQTT port (for"
                            + " development): they may publish anything but the topics millrace"
                            + " publishes (carStatus, events, cache/a/wis2/#).");
    public static final ConfigKey<Engine> ENGINE =
            ConfigKey.choice(
                    "local.engine",
                    Engine.class,
                    Engine.STREAMS,
                    "What runs the pipelines' topologies: Kafka Streams (streams) or the Flink jobs"
                        + " on a Flink session cluster of the stack's own (flink); one engine at a"
                        + " time (flag --engine). none: the stack runs no topology, for instances"
                        + " started with millrace run <pipeline>, as many as wanted.");
    public static final ConfigKey<Integer> FLINK_PORT =
            ConfigKey.port(
                    "local.flink.port",
                    8081,
                    "Port of the local Flink session's web UI and REST API (with"
                            + " local.engine=flink).");
    public static final ConfigKey<Integer> S3_PORT =
            ConfigKey.port("local.s3.port", 9000, "Port of the local S3-compatible server.");
    public static final ConfigKey<Integer> CONNECT_PORT =
            ConfigKey.port(
                    "local.connect.port",
                    8083,
                    "Port of the local Kafka Connect worker's REST API.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            HOST,
                            KAFKA_PORT,
                            CONTROLLER_PORT,
                            BROKERS,
                            MQTT_PORT,
                            MQTT_TLS_PORT,
                            MQTT_READERS,
                            MQTT_ANONYMOUS,
                            ENGINE,
                            FLINK_PORT,
                            S3_PORT,
                            CONNECT_PORT));

    /** Every key the local stack reads: the pipelines' and its own. */
    public static final ConfigKeys ALL_KEYS = ConfigKeys.union(Pipelines.KEYS, KEYS);

    /** What runs the pipelines' topologies. */
    public enum Engine {
        STREAMS,
        FLINK,
        NONE
    }

    public Engine engine() {
        return config.get(ENGINE);
    }

    public int flinkPort() {
        return config.get(FLINK_PORT);
    }

    public static LocalStackSettings from(Config config) {
        String host = config.get(HOST);
        int kafkaPort = config.get(KAFKA_PORT);
        int s3Port = config.get(S3_PORT);
        int brokers = config.get(BROKERS);
        Config local =
                config.with(
                                KafkaSettings.BOOTSTRAP_SERVERS,
                                String.join(",", addresses(host, kafkaPort, brokers)),
                                "local stack")
                        .with(S3Settings.ENDPOINT, "http://" + host + ":" + s3Port, "local stack");
        if (brokers > 1 && config.get(KafkaSettings.REPLICATION_FACTOR) < 0) {
            local =
                    local.with(
                            KafkaSettings.REPLICATION_FACTOR,
                            Math.min(3, brokers),
                            "local.kafka.brokers");
        }
        return new LocalStackSettings(
                config.get(CommonSettings.DATA_DIR).toAbsolutePath(),
                host,
                kafkaPort,
                config.get(CONTROLLER_PORT),
                config.get(MQTT_PORT),
                config.get(MQTT_TLS_PORT),
                s3Port,
                config.get(CONNECT_PORT),
                HttpSettings.from(config),
                local);
    }

    /**
     * Every port key set to a free loopback port: flags for a stack of its own next to another one,
     * as tests and benchmarks start.
     */
    public static Map<String, String> freePorts() {
        Map<String, String> flags = new HashMap<>();
        // Room for the most nodes a local cluster may have.
        flags.put(KAFKA_PORT.name(), String.valueOf(Ports.freeRun(BROKERS_MAX)));
        flags.put(CONTROLLER_PORT.name(), String.valueOf(Ports.freeRun(BROKERS_MAX)));
        for (ConfigKey<Integer> key :
                List.of(
                        MQTT_PORT,
                        MQTT_TLS_PORT,
                        FLINK_PORT,
                        S3_PORT,
                        CONNECT_PORT,
                        HttpSettings.PORT)) {
            flags.put(key.name(), String.valueOf(Ports.free()));
        }
        return flags;
    }

    /**
     * A stack of its own in {@code dataDir}, every port free, with {@code keys} set over the
     * environment's: what benchmarks and tests start next to anything else running.
     */
    public static LocalStackSettings onFreePorts(
            Path dataDir, Map<String, String> keys, Map<String, String> environment) {
        Map<String, String> flags = freePorts();
        flags.putAll(keys);
        flags.put(CommonSettings.DATA_DIR.name(), dataDir.toString());
        return from(Config.builder(ALL_KEYS).environment(environment).flags(flags).build());
    }

    /**
     * The local broker, plainly: the stack's own Kafka takes no credentials; the stack's consumers
     * are static members ({@code kafka.instance-id}, {@code local} unless set), so that after a
     * crash the next {@code up} takes their partitions back at once. The stack owns its broker, so
     * one id serves every stack.
     */
    public KafkaSettings kafka() {
        String id = config.get(KafkaSettings.INSTANCE_ID);
        return KafkaSettings.local(bootstrapServers()).withInstanceId(id.isBlank() ? "local" : id);
    }

    public S3Settings s3() {
        return S3Settings.from(config);
    }

    public StreamsSettings streams() {
        return StreamsSettings.from(config);
    }

    public RaceRules telemetry() {
        return TelemetrySettings.rules(config);
    }

    /** The API's URL as given out (the cache's hrefs): HTTPS when it serves HTTPS. */
    public String publicUrl() {
        return http.tlsPort() == 0 ? httpUrl() : http.tlsUrl();
    }

    public AuditSettings audit() {
        return AuditSettings.from(config);
    }

    public String bootstrapServers() {
        return String.join(",", addresses(host, kafkaPort, brokers()));
    }

    /** Nodes of the local Kafka cluster. */
    public int brokers() {
        return config.get(BROKERS);
    }

    /** The ports of the nodes of the local Kafka cluster, from {@code first}. */
    public static List<Integer> ports(int first, int brokers) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
            ports.add(first + i);
        }
        return ports;
    }

    private static List<String> addresses(String host, int firstPort, int brokers) {
        return ports(firstPort, brokers).stream().map(port -> host + ":" + port).toList();
    }

    public String mqttUrl() {
        return "tcp://" + host + ":" + mqttPort;
    }

    public String mqttTlsUrl() {
        return "ssl://" + host + ":" + mqttTlsPort;
    }

    public String httpUrl() {
        return http.url();
    }

    public int httpPort() {
        return http.port();
    }

    public String connectUrl() {
        return "http://" + host + ":" + connectPort;
    }

    /** Each port with the key that changes it, in start order. */
    public List<Ports.Claim> portClaims() {
        List<Ports.Claim> claims =
                new ArrayList<>(
                        List.of(
                                new Ports.Claim(mqttPort, MQTT_PORT),
                                new Ports.Claim(mqttTlsPort, MQTT_TLS_PORT),
                                new Ports.Claim(s3Port, S3_PORT),
                                new Ports.Claim(connectPort, CONNECT_PORT),
                                new Ports.Claim(http.port(), HttpSettings.PORT)));
        for (int port : ports(kafkaPort, brokers())) {
            claims.add(new Ports.Claim(port, KAFKA_PORT));
        }
        for (int port : ports(controllerPort, brokers())) {
            claims.add(new Ports.Claim(port, CONTROLLER_PORT));
        }
        if (engine() == Engine.FLINK) {
            claims.add(new Ports.Claim(flinkPort(), FLINK_PORT));
        }
        if (http.tlsPort() != 0) {
            claims.add(new Ports.Claim(http.tlsPort(), HttpSettings.TLS_PORT));
        }
        return claims;
    }
}
