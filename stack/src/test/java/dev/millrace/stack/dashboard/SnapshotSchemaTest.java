package dev.millrace.stack.dashboard;

import static dev.millrace.stack.dashboard.AuditBoardTest.event;
import static dev.millrace.stack.dashboard.AuditBoardTest.finalState;
import static dev.millrace.stack.dashboard.RaceBoardTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.deadletter.DeadLetter;
import dev.millrace.schemas.JsonValidator;
import dev.millrace.schemas.Schemas;
import dev.millrace.services.http.Health;
import dev.millrace.telemetry.Fix;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The dashboard's snapshot, built from real boards, keeps to the schema of the event data. */
class SnapshotSchemaTest {
    private static final JsonValidator SCHEMA = Schemas.get("dashboard/snapshot");
    private static final long T0 = 1_767_261_600_000L;
    private static final String ARCHIVED = "0f8d3c52-6b1e-4a7d-9c2f-5e4b3a2d1c0e";
    private static final String SALVAGED = "7c1e2b9a-3f4d-4e5a-8b6c-9d0e1f2a3b4c";
    private static final String IN_FLIGHT = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";

    private static Map<String, String> engines() {
        Map<String, String> engines = new LinkedHashMap<>();
        engines.put("telemetry", "Flink");
        engines.put("wis2", "Kafka Streams");
        engines.put("audit", "Kafka Streams");
        return engines;
    }

    private static ObjectNode snapshot(
            RaceBoard race,
            CacheBoard cache,
            AuditBoard audit,
            DeadLetterBoard deadLetters,
            PipelineBoard pipeline) {
        return Dashboard.snapshot(T0 + 60_000, race, cache, audit, deadLetters, pipeline);
    }

    @Test
    void aSnapshotOfBoardsFedWithRecordsKeepsToTheSchema() throws Exception {
        RaceBoard race = new RaceBoard();
        race.fix(new Fix(T0, 0, 52.0786, -1.0169));
        race.fix(new Fix(T0 + 250, 0, 52.0790, -1.0165));
        race.fix(new Fix(T0 + 250, 1, 52.0785, -1.0170));
        race.status(json("{\"timestamp\":1,\"carIndex\":0,\"type\":\"POSITION\",\"value\":1}"));
        race.status(json("{\"timestamp\":1,\"carIndex\":0,\"type\":\"SPEED\",\"value\":187.4}"));
        race.status(json("{\"timestamp\":1,\"carIndex\":3,\"type\":\"POSITION\",\"value\":2}"));
        race.event(
                json(
                        ("{\"timestamp\":%d,\"text\":\"Car 0 completed lap 1 in 1:23.456\","
                                        + "\"carIndex\":0,\"type\":\"LAP\",\"lap\":1,"
                                        + "\"lapTimeMs\":83456}")
                                .formatted(T0 + 500)));
        race.event(json("{\"timestamp\":%d,\"text\":\"Car 0 passes Car 1.\"}".formatted(T0)));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter downloaded =
                registry.counter(
                        "wmo_wis2_gc_downloaded", "centre_id", "de-dwd", "report_by", "gc");
        registry.counter("wmo_wis2_gc_no_cache", "centre_id", "fr-meteofrance").increment();
        Gauge.builder("wmo_wis2_gc_last_download_timestamp", () -> (T0 + 30_000) / 1000.0)
                .tag("centre_id", "de-dwd")
                .register(registry);
        CacheBoard cache = new CacheBoard(Dashboard.SAMPLES);
        cache.sample(registry, T0);
        downloaded.increment(6);
        cache.sample(registry, T0 + 30_000);
        cache.notification(
                json(
                        "{\"id\":\"31e9d66a-cd83-4174-9429-b932f1abe1be\",\"properties\":{"
                            + "\"data_id\":\"de-dwd/obs-1\",\"pubtime\":\"2026-11-23T12:00:00Z\","
                            + "\"cache\":false},\"links\":[{\"rel\":\"canonical\","
                            + "\"href\":\"https://node.example.org/obs-1.bufr4\"}]}"),
                T0 + 31_000);

        AuditBoard audit = new AuditBoard();
        audit.event(event(ARCHIVED, "Data workflow started"), T0 + 1);
        audit.finalState(finalState(ARCHIVED, true), T0 + 2, true);
        audit.finalState(finalState(SALVAGED, false), T0 + 3, true);
        audit.event(event(IN_FLIGHT, "Data workflow started"), T0 + 4);

        DeadLetterBoard deadLetters = new DeadLetterBoard(List.copyOf(engines().keySet()));
        deadLetters.add(
                "telemetry",
                DeadLetter.from(Map.of(DeadLetter.MQTT_ERROR, "not a car-coordinates value")),
                T0 + 5);
        deadLetters.add(
                "audit",
                new DeadLetter("audit.messages", 0, 7, "SerializationException", "bad record"),
                T0 + 6);

        PipelineBoard pipeline =
                new PipelineBoard(
                        Dashboard.SAMPLES, engines(), Map.of("telemetry-app", "telemetry"));
        TopicPartition status = new TopicPartition("telemetry.car-status", 0);
        pipeline.health(
                Map.of(
                        "kafka", new Health.Status(true, null),
                        "mqtt", new Health.Status(false, "no answer within 2000 ms")),
                T0 + 3_000);
        pipeline.ends(Map.of(status, 100L), T0);
        pipeline.ends(Map.of(status, 220L), T0 + 3_000);
        pipeline.lags(Map.of("telemetry-app", Map.of(status, 4L), "connect-s3", Map.of()));

        JsonNode snapshot = snapshot(race, cache, audit, deadLetters, pipeline);

        assertThat(SCHEMA.validate(snapshot)).as(snapshot.toPrettyString()).isEmpty();
        // Every list of the views has items, so that the schema checked their shape too.
        assertThat(snapshot.path("race").path("cars")).hasSize(3);
        assertThat(snapshot.path("race").path("track")).hasSize(2);
        assertThat(snapshot.path("race").path("events")).hasSize(2);
        assertThat(snapshot.path("wis2").path("centres")).hasSize(2);
        assertThat(snapshot.path("wis2").path("downloadsPerMinuteSeries")).hasSize(2);
        assertThat(snapshot.path("wis2").path("notifications")).hasSize(1);
        assertThat(snapshot.path("audit").path("messages")).hasSize(3);
        assertThat(snapshot.path("audit").path("deadLettered").asLong()).isEqualTo(1);
        assertThat(snapshot.path("pipeline").path("health")).hasSize(2);
        assertThat(snapshot.path("pipeline").path("groups")).hasSize(2);
        assertThat(snapshot.path("pipeline").path("topics")).hasSize(1);
        assertThat(snapshot.path("pipeline").path("engines")).hasSize(3);
        assertThat(snapshot.path("pipeline").path("deadLetters").findValues("latest"))
                .extracting(JsonNode::size)
                .containsExactly(1, 0, 1);
    }

    @Test
    void aSnapshotBeforeAnyRecordOrSampleKeepsToTheSchema() {
        JsonNode snapshot =
                snapshot(
                        new RaceBoard(),
                        new CacheBoard(Dashboard.SAMPLES),
                        new AuditBoard(),
                        new DeadLetterBoard(List.copyOf(engines().keySet())),
                        new PipelineBoard(Dashboard.SAMPLES, engines(), Map.of()));

        assertThat(SCHEMA.validate(snapshot)).as(snapshot.toPrettyString()).isEmpty();
    }

    @Test
    void theSchemaRejectsASnapshotShowingAMessagesSecurityContext() throws Exception {
        AuditBoard audit = new AuditBoard();
        audit.finalState(finalState(ARCHIVED, true), T0, true);
        ObjectNode snapshot =
                snapshot(
                        new RaceBoard(),
                        new CacheBoard(Dashboard.SAMPLES),
                        audit,
                        new DeadLetterBoard(List.of()),
                        new PipelineBoard(Dashboard.SAMPLES, Map.of(), Map.of()));
        ((ObjectNode) snapshot.path("audit").path("messages").get(0))
                .putObject("messageSecurityContext")
                .put("sourceIp", "10.0.0.1");

        assertThat(SCHEMA.validate(snapshot))
                .singleElement()
                .asString()
                .contains("$.audit.messages[0]")
                .contains("messageSecurityContext");
    }
}
