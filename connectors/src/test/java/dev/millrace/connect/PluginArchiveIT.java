package dev.millrace.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.connect.config.testing.FakeSecretsManager;
import dev.millrace.connect.mqtt.testing.MqttTestClient;
import dev.millrace.json.Json;
import dev.millrace.local.LocalMqtt;
import dev.millrace.local.Ports;
import dev.millrace.local.testing.Await;
import dev.millrace.local.testing.EmbeddedKafka;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin archive that {@code mvn package} builds works as any Connect worker (or MSK Connect)
 * takes it: unzipped into {@code plugin.path} of a distributed worker in its own JVM, whose class
 * path has Kafka Connect and none of the connectors' classes, the connectors are listed and an MQTT
 * source connector moves a message into Kafka. The worker declares the archive's Secrets Manager
 * config provider as MSK Connect's worker configuration does, and the connector's MQTT password is
 * a reference to a secret in {@link FakeSecretsManager}.
 */
class PluginArchiveIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ACCESS_KEY_ID = "AKIDPLUGINIT";
    private static final String PROVIDER_CLASS =
            "dev.millrace.connect.config.SecretsManagerConfigProvider";
    private static final String PROVIDER_SERVICES =
            "META-INF/services/org.apache.kafka.common.config.provider.ConfigProvider";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dir;
    private EmbeddedKafka kafka;
    private LocalMqtt mqtt;
    private FakeSecretsManager secretsManager;
    private Process worker;
    private String restUrl;

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics("it.telemetry");
        mqtt = LocalMqtt.start(dir.resolve("mqtt"));
        secretsManager = FakeSecretsManager.start();
        secretsManager.put("millrace/mqtt", "{\"password\": \"plugin-it-Pa55word\"}");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        unzip(Path.of(System.getProperty("plugin.archive")), plugins);
        int restPort = Ports.free();
        restUrl = "http://127.0.0.1:" + restPort;
        Path props = dir.resolve("worker.properties");
        Files.writeString(
                props,
                String.join(
                        "\n",
                        "bootstrap.servers=" + kafka.bootstrapServers(),
                        "group.id=plugin-it",
                        "config.storage.topic=connect-configs",
                        "offset.storage.topic=connect-offsets",
                        "status.storage.topic=connect-status",
                        "config.storage.replication.factor=1",
                        "offset.storage.replication.factor=1",
                        "status.storage.replication.factor=1",
                        "key.converter=org.apache.kafka.connect.storage.StringConverter",
                        "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                        "listeners=http://127.0.0.1:" + restPort,
                        "plugin.path=" + plugins,
                        "plugin.discovery=service_load",
                        "offset.flush.interval.ms=1000",
                        "config.providers=secretsmanager",
                        "config.providers.secretsmanager.class=" + PROVIDER_CLASS,
                        "config.providers.secretsmanager.param.region=" + FakeSecretsManager.REGION,
                        "config.providers.secretsmanager.param.endpoint="
                                + secretsManager.endpoint()));
        worker =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                // The SDK's default chain finds these, as it finds a role on AWS.
                                "-Daws.accessKeyId=" + ACCESS_KEY_ID,
                                "-Daws.secretAccessKey=plugin-it-secret-access-key",
                                "-Daws.disableEc2Metadata=true",
                                "-cp",
                                workerClassPath(),
                                "org.apache.kafka.connect.cli.ConnectDistributed",
                                props.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(Path.of("target", "plugin-archive-worker.log").toFile())
                        .start();
    }

    /** This JVM's class path without the connectors' own classes: Kafka Connect and libraries. */
    private static String workerClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("target" + File.separator + "classes"))
                .filter(entry -> !entry.endsWith("target" + File.separator + "test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @AfterEach
    void stop() throws Exception {
        if (worker != null) {
            worker.destroyForcibly().waitFor();
        }
        if (mqtt != null) {
            mqtt.close();
        }
        if (secretsManager != null) {
            secretsManager.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theArchiveLoadsIntoAWorkerByPluginPathAndItsConnectorsRun() throws Exception {
        assertCarriesTheSecretsManagerConfigProvider(Path.of(System.getProperty("plugin.archive")));
        JsonNode plugins =
                Await.until(
                        "the worker's REST API",
                        WAIT,
                        () -> get("/connector-plugins?connectorsOnly=true"),
                        json -> json != null);
        List<String> classes = plugins.findValuesAsText("class");
        assertThat(classes)
                .contains(
                        "dev.millrace.connect.mqtt.source.MqttSourceConnector",
                        "dev.millrace.connect.mqtt.sink.MqttSinkConnector",
                        "dev.millrace.connect.s3.S3SinkConnector");
        // Loaded from the archive's jar, whose manifest carries the version.
        assertThat(plugins.findValuesAsText("version")).doesNotContain("unknown");

        put(
                "/connectors/plugin-it-source/config",
                Map.of(
                        "connector.class", "dev.millrace.connect.mqtt.source.MqttSourceConnector",
                        "tasks.max", "1",
                        "mqtt.broker.urls", mqtt.url(),
                        "mqtt.client.id", "plugin-it-source",
                        "mqtt.password", "${secretsmanager:millrace/mqtt:password}",
                        "mqtt.topics", "carCoordinates=it.telemetry"));
        Await.until(
                "the connector's task running",
                WAIT,
                () -> get("/connectors/plugin-it-source/status"),
                status -> status != null && status.at("/tasks/0/state").asText().equals("RUNNING"));

        String fix = "{\"timestamp\": 1, \"carIndex\": 0, \"location\": {\"lat\": 1, \"long\": 2}}";
        try (MqttTestClient device = MqttTestClient.connect(mqtt.url(), "plugin-it-device")) {
            device.publish("carCoordinates", fix);
        }
        var records = kafka.readUntil("it.telemetry", read -> !read.isEmpty(), WAIT);
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(fix);
        // The worker resolved the password through the archive's provider, with its credentials.
        assertThat(secretsManager.requestedIds()).isNotEmpty().containsOnly("millrace/mqtt");
        assertThat(secretsManager.signers()).containsOnly(ACCESS_KEY_ID);
    }

    /**
     * Checked first: without the provider the worker would not start, and the test would only say
     * that its REST API never answered.
     */
    private static void assertCarriesTheSecretsManagerConfigProvider(Path archive)
            throws IOException {
        Set<String> jars = new TreeSet<>();
        Set<String> connectorsJarEntries = new TreeSet<>();
        String providers = null;
        try (InputStream in = Files.newInputStream(archive);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String jar = Path.of(entry.getName()).getFileName().toString();
                jars.add(jar);
                if (!jar.startsWith("millrace-connectors-")) {
                    continue;
                }
                // The entry's bytes are the connectors' jar. Not closed: that closes the archive.
                ZipInputStream inner = new ZipInputStream(zip);
                for (ZipEntry file; (file = inner.getNextEntry()) != null; ) {
                    connectorsJarEntries.add(file.getName());
                    if (file.getName().equals(PROVIDER_SERVICES)) {
                        providers = new String(inner.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        assertThat(jars).anyMatch(jar -> jar.matches("secretsmanager-[0-9.]+\\.jar"));
        assertThat(connectorsJarEntries)
                .contains(PROVIDER_CLASS.replace('.', '/') + ".class", PROVIDER_SERVICES);
        assertThat(providers).isNotNull();
        assertThat(providers.lines().map(String::strip)).containsExactly(PROVIDER_CLASS);
    }

    private JsonNode get(String path) throws InterruptedException {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(restUrl + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void put(String path, Map<String, String> config) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl + path))
                                .header("Content-Type", "application/json")
                                .PUT(
                                        HttpRequest.BodyPublishers.ofString(
                                                Json.mapper().writeValueAsString(config)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static void unzip(Path archive, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(archive);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the archive's folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
    }
}
