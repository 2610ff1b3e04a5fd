package dev.millrace.streams.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.json.Json;
import dev.millrace.schemas.Schemas;
import dev.millrace.streams.TopologyHarness;
import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.wis2.FetchResult;
import dev.millrace.wis2.WnmBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dedupe topology, scenario by scenario, named after the WMO Global Cache tests. */
class Wis2TopologyTest {
    private static final String CENTRE = "zz-millrace-global-cache";
    private static final String TOPIC =
            "origin/a/wis2/ca-eccc-msc/data/core/weather/surface-based-observations/synop";
    private static final String DATA_ID =
            "ca-eccc-msc/data/core/weather/surface-based-observations/synop/WIGOS_0-20000-0-71395_20260315T120000";
    private static final String T1 = "2026-03-15T12:04:31Z";
    private static final String T2 = "2026-03-15T12:34:31Z";

    @TempDir Path stateDir;
    private TopologyHarness harness;
    private TestInputTopic<byte[], byte[]> notifications;
    private TestInputTopic<byte[], byte[]> results;
    private TestOutputTopic<byte[], byte[]> fetches;
    // The records arrive around the pubtimes of the notifications they carry.
    private Instant clock = Instant.parse("2026-03-15T12:00:00Z");

    @BeforeEach
    void start() {
        harness =
                new TopologyHarness(
                        new Wis2Topology(CENTRE, Duration.ofHours(24)).build(),
                        stateDir,
                        Wis2Topology.Topics.CATALOG.deadLetters());
        var driver = harness.driver();
        notifications =
                driver.createInputTopic(
                        Wis2Topology.Topics.CATALOG.notifications(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        results =
                driver.createInputTopic(
                        Wis2Topology.Topics.CATALOG.fetchResults(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        fetches =
                driver.createOutputTopic(
                        Wis2Topology.Topics.CATALOG.fetchRequests(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    static String wnm(
            String id,
            String pubtime,
            UnaryOperator<WnmBuilder> properties,
            String rel,
            String href) {
        return properties
                .apply(
                        WnmBuilder.notification(id, DATA_ID, pubtime)
                                .datetime("2026-03-15T12:00:00Z")
                                .point(-63.5017, 44.8804))
                .link(rel, href, "application/bufr")
                .toString();
    }

    static String wnm(String id, String pubtime) {
        return wnm(id, pubtime, b -> b, "canonical", "https://dd.example.org/a.bufr4");
    }

    private void publish(String topic, String json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wis2Topology.TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
        clock = clock.plusSeconds(1);
        notifications.pipeInput(
                new TestRecord<>(
                        DATA_ID.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8),
                        headers,
                        clock));
    }

    private void result(String id, String pubtime, boolean ok) {
        clock = clock.plusSeconds(1);
        results.pipeInput(
                new TestRecord<>(
                        DATA_ID.getBytes(StandardCharsets.UTF_8),
                        new FetchResult(id, Instant.parse(pubtime), ok, ok ? null : "HTTP 404")
                                .toJson(),
                        new RecordHeaders(),
                        clock));
    }

    private static List<String> ids(TestOutputTopic<byte[], byte[]> topic) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
            var request = Json.mapper().readTree(r.value());
            assertThat(Schemas.get("wis2/fetch-request").validate(request)).isEmpty();
            ids.add(request.path("id").asText());
        }
        return ids;
    }

    @Test
    void wnmProcessingAsksForOneFetchWithTheMqttTopic() {
        String id = "8a2b5c1e-4f3d-4e9a-9b7c-2d1e0f6a3b4c";
        publish(TOPIC, wnm(id, T1));
        TestRecord<byte[], byte[]> fetch = fetches.readRecord();
        assertThat(new String(fetch.key(), StandardCharsets.UTF_8)).isEqualTo(DATA_ID);
        assertThat(
                        new String(
                                fetch.headers().lastHeader("mqtt.topic").value(),
                                StandardCharsets.UTF_8))
                .isEqualTo(TOPIC);
        assertThat(fetches.isEmpty()).isTrue();
    }

    @Test
    void cacheFalseGoesToTheCacheStepAtOnceAndCountsAsProcessed() throws Exception {
        String id = "8a2b5c1e-4f3d-4e9a-9b7c-2d1e0f6a3b4c";
        publish(
                TOPIC,
                wnm(id, T1, b -> b.cache(false), "canonical", "https://dd.example.org/a.bufr4"));
        publish(
                TOPIC,
                wnm(
                        "22222222-2222-4222-8222-222222222222",
                        T1,
                        b -> b.cache(false),
                        "canonical",
                        "https://dd.example.org/a.bufr4"));
        assertThat(ids(fetches))
                .as("no fetch result is awaited: the copy is a duplicate")
                .containsExactly(id);
    }

    @Test
    void deduplicationTheSameMessageFromTwoBrokersIsFetchedOnce() throws Exception {
        String id = "8a2b5c1e-4f3d-4e9a-9b7c-2d1e0f6a3b4c";
        publish(TOPIC, wnm(id, T1));
        publish(TOPIC, wnm(id, T1));
        publish(TOPIC.replaceFirst("origin", "cache"), wnm(id, T1));
        assertThat(ids(fetches)).containsExactly(id);
    }

    @Test
    void dedupeAlt1AFailedCopyDoesNotBlockTheNextCopyOfThePair() throws Exception {
        String bad = "11111111-1111-4111-8111-111111111111";
        String good = "22222222-2222-4222-8222-222222222222";
        String third = "33333333-3333-4333-8333-333333333333";
        publish(TOPIC, wnm(bad, T1, b -> b, "canonical", "https://dd.example.org/missing.bufr4"));
        publish(TOPIC, wnm(good, T1));
        publish(TOPIC, wnm(third, T1));
        assertThat(ids(fetches)).containsExactly(bad);
        result(bad, T1, false);
        assertThat(ids(fetches)).containsExactly(good);
        result(good, T1, true);
        assertThat(ids(fetches)).as("the third copy is a duplicate once one is cached").isEmpty();
        publish(TOPIC, wnm("44444444-4444-4444-8444-444444444444", T1));
        assertThat(ids(fetches)).isEmpty();
    }

    @Test
    void dataUpdateALaterPubtimeIsFetchedOnlyWithAnUpdateLink() throws Exception {
        String first = "11111111-1111-4111-8111-111111111111";
        publish(TOPIC, wnm(first, T1));
        result(first, T1, true);
        fetches.readRecordsToList();
        publish(TOPIC, wnm("22222222-2222-4222-8222-222222222222", T2));
        assertThat(ids(fetches)).as("later, but no update link").isEmpty();
        String update = "33333333-3333-4333-8333-333333333333";
        publish(TOPIC, wnm(update, T2, b -> b, "update", "https://dd.example.org/a-v2.bufr4"));
        assertThat(ids(fetches)).containsExactly(update);
    }

    @Test
    void anotherCachesCopyIsTakenInButOursNeverComesBack() throws Exception {
        String theirs = "11111111-1111-4111-8111-111111111111";
        publish(
                TOPIC.replaceFirst("origin", "cache"),
                wnm(
                        theirs,
                        T1,
                        b -> b.property("global-cache", "de-dwd-global-cache"),
                        "canonical",
                        "https://gc.example.org/a.bufr4"));
        assertThat(ids(fetches)).containsExactly(theirs);
        publish(
                TOPIC.replaceFirst("origin", "cache"),
                wnm(
                        "22222222-2222-4222-8222-222222222222",
                        T2,
                        b -> b.property("global-cache", CENTRE),
                        "update",
                        "https://gc.example.org/b.bufr4"));
        assertThat(ids(fetches)).isEmpty();
    }

    @Test
    void recommendedDataIsIgnored() {
        publish(
                "origin/a/wis2/fr-meteofrance/data/recommended/weather/x",
                wnm("11111111-1111-4111-8111-111111111111", T1));
        assertThat(fetches.isEmpty()).isTrue();
        assertThat(harness.deadLetters().isEmpty()).isTrue();
    }

    @Test
    void whatIsNotAValidNotificationIsDeadLetteredAndTheRestGoesOn() throws Exception {
        publish(TOPIC, "{not json");
        publish(TOPIC, wnm("not-a-uuid", T1));
        String id = "8a2b5c1e-4f3d-4e9a-9b7c-2d1e0f6a3b4c";
        publish(TOPIC, wnm(id, T1));
        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters().readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(reason(dead.get(0))).startsWith("not JSON");
        assertThat(reason(dead.get(1))).startsWith("not a valid WIS2 notification: $.id");
        assertThat(
                        new String(
                                dead.get(1).headers().lastHeader(DeadLetters.HEADER_TOPIC).value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("wis2.notifications");
        assertThat(ids(fetches)).containsExactly(id);
    }

    /** A pair stamped in the future would hold back the genuine updates until then. */
    @Test
    void aPubtimeFarAheadOfItsArrivalIsDeadLettered() throws Exception {
        publish(TOPIC, wnm("11111111-1111-4111-8111-111111111111", "2999-01-01T00:00:00Z"));
        String id = "8a2b5c1e-4f3d-4e9a-9b7c-2d1e0f6a3b4c";
        publish(TOPIC, wnm(id, T1));
        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters().readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0)))
                .isEqualTo(
                        "properties.pubtime 2999-01-01T00:00:00Z is more than 1 h ahead of its"
                                + " arrival at 2026-03-15T12:00:01Z: it would hold back every"
                                + " later update of "
                                + DATA_ID);
        assertThat(ids(fetches)).containsExactly(id);
    }

    @Test
    void idsAndLedgersExpireAfterTheRetentionOfStreamTime() throws Exception {
        String id = "8a2b5c1e-4f3d-4e9a-9b7c-2d1e0f6a3b4c";
        publish(TOPIC, wnm(id, T1));
        result(id, T1, true);
        fetches.readRecordsToList();
        clock = clock.plus(Duration.ofHours(25));
        publish(
                TOPIC,
                wnm(
                                "99999999-9999-4999-8999-999999999999",
                                "2026-03-16T12:00:00Z",
                                b -> b,
                                "canonical",
                                "https://dd.example.org/other.bufr4")
                        .replace(DATA_ID, DATA_ID + "-other"));
        fetches.readRecordsToList();
        publish(TOPIC, wnm(id, T1));
        assertThat(ids(fetches))
                .as("forgotten after 24 h: the same message is new again")
                .containsExactly(id);
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        return new String(
                record.headers().lastHeader(DeadLetters.HEADER_MESSAGE).value(),
                StandardCharsets.UTF_8);
    }
}
