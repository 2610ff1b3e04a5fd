package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.local.Ports;
import dev.millrace.local.TopicReader;
import dev.millrace.local.testing.Await;
import dev.millrace.local.testing.EmbeddedKafka;
import dev.millrace.pipeline.admin.CatalogAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production runtime, the cli module's {@code bin/ + lib/} distribution, runs a component
 * against a broker with no part of the local stack on its class path: {@code millrace run
 * telemetry} answers {@code /health} and turns fixes into speeds.
 */
class ProductionRuntimeIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path DISTRIBUTION = Path.of(System.getProperty("millrace.distribution"));

    @TempDir Path dir;
    private EmbeddedKafka kafka;
    private Process runtime;

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = kafka.admin()) {
            new CatalogAdmin(admin, 1).ensure(TopicCatalog.ALL);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.destroyForcibly().waitFor();
        }
        kafka.close();
    }

    @Test
    void theDistributionCarriesNoLocalStackPart() throws Exception {
        List<String> jars;
        try (Stream<Path> lib = Files.list(DISTRIBUTION.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars)
                .contains("millrace-cli-0.1.0-SNAPSHOT.jar", "kafka-streams-4.3.1.jar")
                .noneMatch(
                        jar ->
                                jar.matches(
                                        "(kafka_2\\.13|kafka-server|kafka-metadata|connect-runtime"
                                                + "|hivemq|s3proxy|jclouds|millrace-local"
                                                + "|millrace-stack).*"));
        assertThat(DISTRIBUTION.resolve("bin/millrace")).isExecutable();
    }

    @Test
    void runTelemetryServesHealthAndComputesSpeeds() throws Exception {
        int httpPort = Ports.free();
        runtime =
                new ProcessBuilder(
                                DISTRIBUTION.resolve("bin/millrace").toString(),
                                "run",
                                "telemetry",
                                "--data-dir",
                                dir.toString(),
                                "-s",
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "-s",
                                "http.port=" + httpPort)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("runtime.log").toFile())
                        .start();
        HttpClient http = HttpClient.newHttpClient();
        Await.until(
                "/health to say UP",
                WAIT,
                () -> {
                    try {
                        return http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + httpPort
                                                                        + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                    } catch (java.io.IOException e) {
                        return -1;
                    }
                },
                status -> status == 200);

        byte[] race = "carCoordinates".getBytes(StandardCharsets.UTF_8);
        kafka.produce(
                TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                race,
                fix(1_700_000_000_000L, 52.0700, -1.0200));
        kafka.produce(
                TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                race,
                fix(1_700_000_001_000L, 52.0701, -1.0200));

        var statuses =
                Await.until(
                        "a SPEED on telemetry.car-status",
                        WAIT,
                        () ->
                                TopicReader.readAll(
                                        kafka.bootstrapServers(),
                                        TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                                        IsolationLevel.READ_COMMITTED),
                        read ->
                                read.stream()
                                        .anyMatch(
                                                r ->
                                                        new String(
                                                                        r.value(),
                                                                        StandardCharsets.UTF_8)
                                                                .contains("SPEED")));
        assertThat(statuses).isNotEmpty();
    }

    private static byte[] fix(long timestamp, double lat, double lon) {
        return ("{\"timestamp\": "
                        + timestamp
                        + ", \"carIndex\": 0, \"location\": {\"lat\": "
                        + lat
                        + ", \"long\": "
                        + lon
                        + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
