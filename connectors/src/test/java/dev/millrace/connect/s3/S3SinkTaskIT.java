package dev.millrace.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.connect.mqtt.testing.FakeSinkTaskContext;
import dev.millrace.connect.mqtt.testing.MutableClock;
import dev.millrace.json.Json;
import dev.millrace.local.testing.S3TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 sink task against a real S3 API (S3Proxy over a filesystem store), with a mock completion
 * producer and a fake Connect context that records errant records.
 */
class S3SinkTaskIT {
    private static final String ARCHIVE = "millrace-audit-archive";
    private static final String FAILED = "millrace-audit-failed";
    private static final String STAGING = "millrace-audit-staging";
    private static final String TOPIC = "audit.messages";
    private static final String RESULTS = "audit.archive-results";
    private static final Instant NOW = Instant.parse("2026-03-15T09:41:09.250Z");

    @TempDir Path dir;

    private S3TestStore s3;
    private final MutableClock clock = new MutableClock(NOW);
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final List<S3SinkTask> tasks = new ArrayList<>();

    @BeforeEach
    void startS3() throws Exception {
        s3 = S3TestStore.start(dir.resolve("s3"));
        s3.createBuckets(ARCHIVE, FAILED, STAGING);
    }

    @AfterEach
    void stop() throws Exception {
        tasks.forEach(S3SinkTask::stop);
        s3.close();
    }

    private S3SinkTask start(Map<String, String> props, FakeSinkTaskContext context) {
        S3SinkTask task = new S3SinkTask(s3.client(), producer, clock);
        task.initialize(context);
        task.start(props);
        tasks.add(task);
        return task;
    }

    /** The audit pipeline's configuration, against this test's S3. */
    private Map<String, String> audit() {
        Map<String, String> props = S3SinkConnectorConfigTest.audit();
        props.put("s3.endpoint", s3.endpoint());
        return props;
    }

    private Map<String, String> plain() {
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket", ARCHIVE);
        props.put("s3.endpoint", s3.endpoint());
        props.put("s3.path-style", "true");
        return props;
    }

    private Map<String, String> batch(int maxRecords, long maxBytes, long maxSpanMs) {
        Map<String, String> props = plain();
        props.put("s3.mode", "batch");
        props.put("s3.batch.max-records", Integer.toString(maxRecords));
        props.put("s3.batch.max-bytes", Long.toString(maxBytes));
        props.put("s3.batch.max-span-ms", Long.toString(maxSpanMs));
        return props;
    }

    // ---- record mode

    @Test
    void writesEachRecordByteExactAtItsRenderedKey() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        S3SinkTask task = start(plain(), FakeSinkTaskContext.withReporter());

        task.put(
                List.of(
                        record("orders", 0, 5, "k", binary, 1L),
                        record("orders", 2, 17, "k", "héllo", 1L)));

        assertThat(s3.keys(ARCHIVE))
                .containsExactly("orders/0/00000000000000000005", "orders/2/00000000000000000017");
        assertThat(s3.get(ARCHIVE, "orders/0/00000000000000000005")).isEqualTo(binary);
        assertThat(s3.get(ARCHIVE, "orders/2/00000000000000000017"))
                .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(s3.contentType(ARCHIVE, "orders/0/00000000000000000005"))
                .isEqualTo("application/octet-stream");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void archivesAnInlineBase64PayloadUnderTheAuditConfiguration() throws Exception {
        byte[] payload =
                "{\"amount\": 12.5, \"currency\": \"EUR\"}".getBytes(StandardCharsets.UTF_8);
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(audit(), context);

        task.put(
                List.of(
                        record(
                                TOPIC,
                                4,
                                42,
                                "tx-1",
                                inline(UUID_1, "2026-03-15T10:41:07.512+01:00", payload),
                                1L)));

        String key = "2026/03/15/09/41/07/" + UUID_1;
        assertThat(s3.keys(ARCHIVE)).containsExactly(key);
        assertThat(s3.get(ARCHIVE, key)).isEqualTo(payload);
        assertThat(s3.contentType(ARCHIVE, key)).isEqualTo("application/json");
        assertThat(context.errant).isEmpty();
        assertThat(s3.keys(FAILED)).isEmpty();
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> completion = producer.history().get(0);
        assertThat(completion.topic()).isEqualTo(RESULTS);
        assertThat(completion.partition()).isEqualTo(4);
        assertThat(completion.key()).isEqualTo("tx-1".getBytes(StandardCharsets.UTF_8));
        assertThat(completion.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(new String(completion.value(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"topic\":\"audit.messages\",\"partition\":4,\"offset\":42,"
                                + "\"bucket\":\"millrace-audit-archive\",\"key\":\""
                                + key
                                + "\",\"size\":"
                                + payload.length
                                + ",\"status\":\"archived\",\"timestamp\":\"2026-03-15T09:41:09.250Z\"}");
    }

    @Test
    void copiesAClaimCheckAndDeletesTheStagedObject() throws Exception {
        byte[] large = new byte[700_000];
        new Random(7).nextBytes(large);
        s3.put(STAGING, "staging/" + UUID_1, large);
        S3SinkTask task = start(audit(), FakeSinkTaskContext.withReporter());

        task.put(List.of(record(TOPIC, 1, 3, "tx-1", staged(UUID_1, "staging/" + UUID_1), 1L)));

        String key = "2026/03/15/09/41/07/" + UUID_1;
        assertThat(s3.get(ARCHIVE, key)).isEqualTo(large);
        assertThat(s3.contentType(ARCHIVE, key)).isEqualTo("application/octet-stream");
        assertThat(s3.keys(STAGING)).isEmpty();
        JsonNode completion = json(producer.history().get(0).value());
        assertThat(completion.path("status").asText()).isEqualTo("archived");
        assertThat(completion.path("key").asText()).isEqualTo(key);
        assertThat(completion.path("size").asLong()).isEqualTo(large.length);
    }

    @Test
    void countsARedeliveredClaimCheckAsWrittenOnceTheStagedObjectIsGone() throws Exception {
        byte[] large = "staged payload".getBytes(StandardCharsets.UTF_8);
        s3.put(STAGING, "staging/" + UUID_1, large);
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(audit(), context);
        SinkRecord record = record(TOPIC, 1, 3, "tx-1", staged(UUID_1, "staging/" + UUID_1), 1L);

        task.put(List.of(record));
        task.put(List.of(record));

        String key = "2026/03/15/09/41/07/" + UUID_1;
        assertThat(s3.keys(ARCHIVE)).containsExactly(key);
        assertThat(s3.get(ARCHIVE, key)).isEqualTo(large);
        assertThat(context.errant).isEmpty();
        assertThat(s3.keys(FAILED)).isEmpty();
        assertThat(producer.history()).hasSize(2);
        JsonNode second = json(producer.history().get(1).value());
        assertThat(second.path("status").asText()).isEqualTo("archived");
        assertThat(second.path("size").asLong()).isEqualTo(large.length);
    }

    @Test
    void salvagesAClaimCheckWhoseStagedObjectAndDestinationAreBothMissing() throws Exception {
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(audit(), context);

        task.put(List.of(record(TOPIC, 1, 3, "tx-1", staged(UUID_1, "staging/gone"), 1L)));

        assertThat(s3.keys(ARCHIVE)).isEmpty();
        assertThat(s3.keys(FAILED)).containsExactly("audit.messages/1/00000000000000000003");
        assertThat(context.errant).hasSize(1);
        assertThat(context.errant.get(0).error().getMessage())
                .contains("s3://millrace-audit-staging/staging/gone does not exist");
        assertThat(json(producer.history().get(0).value()).path("status").asText())
                .isEqualTo("salvaged");
    }

    @Test
    void aRedeliveredBatchRewritesTheSameKeys() {
        S3SinkTask task = start(plain(), FakeSinkTaskContext.withReporter());
        List<SinkRecord> batch =
                IntStream.range(0, 3).mapToObj(i -> record("t", 0, i, "k", "v" + i, 1L)).toList();

        task.put(batch);
        Map<String, byte[]> first = objects(ARCHIVE);
        task.put(batch);

        assertThat(s3.keys(ARCHIVE)).hasSize(3);
        assertThat(objects(ARCHIVE)).containsExactlyInAnyOrderEntriesOf(first);
    }

    @Test
    void recordsSharingAKeyAreWrittenInOffsetOrder() {
        Map<String, String> props = plain();
        props.put("s3.key.template", "${topic}/${key}");
        S3SinkTask task = start(props, FakeSinkTaskContext.withReporter());

        task.put(
                IntStream.range(0, 20)
                        .mapToObj(i -> record("t", 0, i, "same", "v" + i, 1L))
                        .toList());

        assertThat(s3.keys(ARCHIVE)).containsExactly("t/same");
        assertThat(s3.get(ARCHIVE, "t/same")).isEqualTo("v19".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void salvagesAnErrantRecordWholeReportsItAndCompletesAsSalvaged() throws Exception {
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(audit(), context);
        byte[] good = "ok".getBytes(StandardCharsets.UTF_8);
        String badBase64 =
                "{\"messageID\":\""
                        + UUID_2
                        + "\",\"messageMetaData\":{\"dateTime\":\"2026-03-15T09:41:07.512Z\"},"
                        + "\"payload\":{\"inline\":\"not*base64\",\"contentType\":\"text/plain\"}}";
        ConnectHeaders headers = new ConnectHeaders();
        headers.addBytes("trace", new byte[] {1, 2, 3});
        headers.addString("source", "ingest");
        SinkRecord errant =
                new SinkRecord(
                        TOPIC,
                        2,
                        Schema.OPTIONAL_BYTES_SCHEMA,
                        "tx-2".getBytes(StandardCharsets.UTF_8),
                        Schema.OPTIONAL_BYTES_SCHEMA,
                        badBase64.getBytes(StandardCharsets.UTF_8),
                        8,
                        Instant.parse("2026-03-15T09:41:08Z").toEpochMilli(),
                        TimestampType.CREATE_TIME,
                        headers);

        task.put(
                List.of(
                        record(
                                TOPIC,
                                2,
                                7,
                                "tx-1",
                                inline(UUID_1, "2026-03-15T09:41:07Z", good),
                                1L),
                        errant));

        assertThat(s3.keys(ARCHIVE)).containsExactly("2026/03/15/09/41/07/" + UUID_1);
        String salvageKey = "audit.messages/2/00000000000000000008";
        assertThat(s3.keys(FAILED)).containsExactly(salvageKey);
        assertThat(s3.contentType(FAILED, salvageKey)).isEqualTo("application/json");
        JsonNode envelope = json(s3.get(FAILED, salvageKey));
        assertThat(envelope.path("topic").asText()).isEqualTo(TOPIC);
        assertThat(envelope.path("partition").asInt()).isEqualTo(2);
        assertThat(envelope.path("offset").asLong()).isEqualTo(8);
        assertThat(envelope.path("timestamp").asText()).isEqualTo("2026-03-15T09:41:08Z");
        assertThat(decode(envelope.path("key"))).isEqualTo("tx-2".getBytes(StandardCharsets.UTF_8));
        assertThat(decode(envelope.path("value")))
                .isEqualTo(badBase64.getBytes(StandardCharsets.UTF_8));
        assertThat(decode(envelope.path("headers").path("trace"))).containsExactly(1, 2, 3);
        assertThat(decode(envelope.path("headers").path("source")))
                .isEqualTo("ingest".getBytes(StandardCharsets.UTF_8));
        assertThat(envelope.path("reason").asText())
                .isEqualTo("content at /payload/inline is not base64");

        assertThat(context.errant).hasSize(1);
        assertThat(context.errant.get(0).record()).isSameAs(errant);
        assertThat(context.errant.get(0).error())
                .hasMessage("content at /payload/inline is not base64");

        assertThat(producer.history()).hasSize(2);
        ProducerRecord<byte[], byte[]> salvaged = producer.history().get(1);
        assertThat(salvaged.partition()).isEqualTo(2);
        assertThat(salvaged.key()).isEqualTo("tx-2".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(salvaged.value(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"topic\":\"audit.messages\",\"partition\":2,\"offset\":8,"
                                + "\"bucket\":\"millrace-audit-failed\",\"key\":\""
                                + salvageKey
                                + "\",\"size\":"
                                + s3.get(FAILED, salvageKey).length
                                + ",\"status\":\"salvaged\",\"reason\":\"content at"
                                + " /payload/inline is not base64\","
                                + "\"timestamp\":\"2026-03-15T09:41:09.250Z\"}");
    }

    @Test
    void recordsThatCannotRenderTheirKeyAreErrant() {
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(audit(), context);
        byte[] payload = "x".getBytes(StandardCharsets.UTF_8);

        task.put(
                List.of(
                        record(TOPIC, 0, 1, "k", inline(UUID_1, "yesterday", payload), 1L),
                        record(TOPIC, 0, 2, "k", "not json", 1L),
                        record(TOPIC, 0, 3, "k", (Object) null, 1L)));

        assertThat(s3.keys(ARCHIVE)).isEmpty();
        assertThat(s3.keys(FAILED)).hasSize(3);
        assertThat(context.errant)
                .extracting(e -> e.error().getMessage())
                .containsExactly(
                        "text at /messageMetaData/dateTime is not an RFC 3339 date-time (nor"
                                + " yyyy-MM-dd HH:mm:ss.ffffff in UTC): yesterday",
                        "value is not JSON: Unrecognized token 'not': was expecting (JSON"
                                + " String, Number, Array, Object or token 'null', 'true' or"
                                + " 'false')",
                        "value is null");
    }

    @Test
    void completionsLandOnTheSourcePartitionNumber() {
        S3SinkTask task = start(audit(), FakeSinkTaskContext.withReporter());
        byte[] payload = "p".getBytes(StandardCharsets.UTF_8);

        task.put(
                List.of(
                        record(
                                TOPIC,
                                0,
                                10,
                                "a",
                                inline(UUID_1, "2026-03-15T09:41:07Z", payload),
                                1L),
                        record(
                                TOPIC,
                                3,
                                11,
                                "b",
                                inline(UUID_2, "2026-03-15T09:41:07Z", payload),
                                1L),
                        record(
                                TOPIC,
                                7,
                                12,
                                "c",
                                inline(UUID_3, "2026-03-15T09:41:07Z", payload),
                                1L)));

        assertThat(producer.history())
                .extracting(ProducerRecord::partition)
                .containsExactly(0, 3, 7);
        assertThat(producer.history())
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c");
        assertThat(producer.history())
                .extracting(r -> json(r.value()).path("partition").asInt())
                .containsExactly(0, 3, 7);
    }

    @Test
    void anErrantRecordWithoutDeadLetterQueueOrSalvageFailsTheTask() {
        S3SinkTask task = start(plain(), FakeSinkTaskContext.withoutReporter());

        assertThatThrownBy(
                        () ->
                                task.put(
                                        List.of(
                                                record("t", 0, 1, "k", "fine", 1L),
                                                record("t", 0, 2, "k", (Object) null, 1L))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("t-0@2")
                .hasMessageContaining("value is null");
        assertThat(s3.keys(ARCHIVE)).isEmpty();
    }

    @Test
    void anErrantRecordWithOnlyADeadLetterQueueIsReportedAndNotCompleted() {
        Map<String, String> props = audit();
        props.remove("salvage.bucket");
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(props, context);

        task.put(List.of(record(TOPIC, 0, 1, "k", (Object) null, 1L)));

        assertThat(context.errant)
                .extracting(e -> e.error().getMessage())
                .containsExactly("value is null");
        assertThat(s3.keys(FAILED)).isEmpty();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aStoppedS3MakesPutRetriable() throws Exception {
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(audit(), context);
        s3.stop();

        assertThatThrownBy(() -> task.put(List.of(oneByteRecord())))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("retrying the batch");
        assertThat(context.timeouts).hasSize(1);
        assertThat(context.errant).isEmpty();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aFailedCompletionMakesPutRetriable() {
        producer.sendException = new KafkaException("broker unavailable");
        S3SinkTask task = start(audit(), FakeSinkTaskContext.withReporter());

        assertThatThrownBy(() -> task.put(List.of(oneByteRecord())))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining(RESULTS)
                .hasMessageContaining("broker unavailable");
    }

    @Test
    void aTaskStartedByTheFrameworkBuildsItsOwnClient() {
        Map<String, String> props = audit();
        props.remove("completion.topic");
        props.remove("completion.producer.bootstrap.servers");
        props.put("s3.access-key-id", S3TestStore.ACCESS_KEY_ID);
        props.put("s3.secret-access-key", S3TestStore.SECRET_ACCESS_KEY);
        S3SinkTask task = new S3SinkTask();
        task.initialize(FakeSinkTaskContext.withReporter());
        task.start(props);
        tasks.add(task);
        byte[] payload = "framework".getBytes(StandardCharsets.UTF_8);

        task.put(
                List.of(
                        record(
                                TOPIC,
                                0,
                                1,
                                "k",
                                inline(UUID_1, "2026-03-15T09:41:07Z", payload),
                                1L)));

        assertThat(s3.get(ARCHIVE, "2026/03/15/09/41/07/" + UUID_1)).isEqualTo(payload);
    }

    // ---- batch mode

    @Test
    void batchesRotateByRecordCountAtKeysFromTheirStartOffsets() {
        S3SinkTask task = start(batch(3, 1 << 20, 0), FakeSinkTaskContext.withReporter());

        task.put(numbered(0, 7, 1000));

        assertThat(objectsAsText(ARCHIVE))
                .containsExactly(
                        Map.entry("t/0/00000000000000000000", "v0\nv1\nv2\n"),
                        Map.entry("t/0/00000000000000000003", "v3\nv4\nv5\n"));
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(7))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(6)));
    }

    @Test
    void batchesRotateByBytes() {
        // Each record is "vN\n", 3 bytes: two fit in 7 bytes, a third would not.
        S3SinkTask task = start(batch(100, 7, 0), FakeSinkTaskContext.withReporter());

        task.put(numbered(0, 5, 1000));

        assertThat(objectsAsText(ARCHIVE))
                .containsExactly(
                        Map.entry("t/0/00000000000000000000", "v0\nv1\n"),
                        Map.entry("t/0/00000000000000000002", "v2\nv3\n"));
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(5))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(4)));
    }

    @Test
    void batchesRotateByRecordTimeNotWallClock() {
        S3SinkTask task = start(batch(100, 1 << 20, 1000), FakeSinkTaskContext.withReporter());
        long[] times = {0, 500, 999, 1000, 1500, 2100};
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            records.add(record("t", 0, i, "k", "v" + i, times[i]));
        }

        task.put(records);
        clock.advance(Duration.ofDays(1));
        task.put(List.of());

        assertThat(objectsAsText(ARCHIVE))
                .containsExactly(
                        Map.entry("t/0/00000000000000000000", "v0\nv1\nv2\n"),
                        Map.entry("t/0/00000000000000000003", "v3\nv4\n"));
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(6))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(5)));
    }

    @Test
    void preCommitCoversOnlyUploadedRecordsPerPartition() {
        S3SinkTask task = start(batch(2, 1 << 20, 0), FakeSinkTaskContext.withReporter());
        TopicPartition t1 = new TopicPartition("t", 1);
        TopicPartition t2 = new TopicPartition("t", 2);

        task.put(
                List.of(
                        record("t", 0, 10, "k", "a", 1L),
                        record("t", 1, 20, "k", "b", 1L),
                        record("t", 1, 21, "k", "c", 1L),
                        record("t", 1, 22, "k", "d", 1L)));

        assertThat(
                        task.preCommit(
                                Map.of(
                                        T0, new OffsetAndMetadata(11),
                                        t1, new OffsetAndMetadata(23),
                                        t2, new OffsetAndMetadata(5))))
                .containsOnly(
                        Map.entry(T0, new OffsetAndMetadata(10)),
                        Map.entry(t1, new OffsetAndMetadata(22)),
                        Map.entry(t2, new OffsetAndMetadata(5)));
        assertThat(s3.keys(ARCHIVE)).containsExactly("t/1/00000000000000000020");

        task.close(List.of(T0, t1));
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(10))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(10)));
    }

    @Test
    void aReplayFromTheCommittedOffsetRebuildsIdenticalObjects() throws Exception {
        Map<String, String> props = batch(3, 1 << 20, 1000);
        List<SinkRecord> all = new ArrayList<>();
        long[] times = {0, 100, 200, 300, 1400, 1500, 1600, 1700, 3000, 3100};
        for (int i = 0; i < times.length; i++) {
            all.add(record("t", 0, i, "k", "v" + i, times[i]));
        }
        S3SinkTask uninterrupted = start(props, FakeSinkTaskContext.withReporter());
        uninterrupted.put(all);
        Map<String, byte[]> expected = objects(ARCHIVE);
        assertThat(expected).hasSize(4);
        for (String key : s3.keys(ARCHIVE)) {
            s3.client().deleteObject(b -> b.bucket(ARCHIVE).key(key));
        }

        S3SinkTask crashing = start(props, FakeSinkTaskContext.withReporter());
        crashing.put(all.subList(0, 5));
        long committed = crashing.preCommit(Map.of(T0, new OffsetAndMetadata(5))).get(T0).offset();
        crashing.stop();
        S3SinkTask successor = start(props, FakeSinkTaskContext.withReporter());
        successor.put(all.subList((int) committed, all.size()));

        assertThat(committed).isEqualTo(4);
        Map<String, byte[]> replayed = objects(ARCHIVE);
        assertThat(replayed.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, bytes) -> assertThat(replayed.get(key)).as(key).isEqualTo(bytes));
    }

    @Test
    void aBatchRefusedWhileS3IsDownIsUploadedOnceItIsBack() throws Exception {
        Map<String, String> props = batch(2, 1 << 20, 0);
        props.put("completion.topic", RESULTS);
        props.put("completion.producer.bootstrap.servers", "127.0.0.1:9092");
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(props, context);
        List<SinkRecord> records = numbered(0, 3, 1000);
        s3.stop();

        assertThatThrownBy(() -> task.put(records)).isInstanceOf(RetriableException.class);
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(3))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(0)));

        s3.restart();
        task.put(records);

        assertThat(objectsAsText(ARCHIVE))
                .containsExactly(Map.entry("t/0/00000000000000000000", "v0\nv1\n"));
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(3))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(2)));
        assertThat(producer.history()).hasSize(1);
        JsonNode completion = json(producer.history().get(0).value());
        assertThat(completion.path("offset").asLong()).isZero();
        assertThat(completion.path("records").asInt()).isEqualTo(2);
        assertThat(completion.path("size").asInt()).isEqualTo(6);
        assertThat(completion.path("key").asText()).isEqualTo("t/0/00000000000000000000");
    }

    @Test
    void anErrantRecordInBatchModeIsSalvagedAndLeftOutOfTheBatch() {
        Map<String, String> props = batch(2, 1 << 20, 0);
        props.put("salvage.bucket", FAILED);
        FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
        S3SinkTask task = start(props, context);

        task.put(
                List.of(
                        record("t", 0, 0, "k", "v0", 1L),
                        record("t", 0, 1, "k", (Object) null, 1L),
                        record("t", 0, 2, "k", "v2", 1L)));

        assertThat(objectsAsText(ARCHIVE))
                .containsExactly(Map.entry("t/0/00000000000000000000", "v0\nv2\n"));
        assertThat(s3.keys(FAILED)).containsExactly("t/0/00000000000000000001");
        assertThat(context.errant)
                .extracting(e -> e.error().getMessage())
                .containsExactly("value is null");
        assertThat(task.preCommit(Map.of(T0, new OffsetAndMetadata(3))))
                .containsExactly(Map.entry(T0, new OffsetAndMetadata(3)));
    }

    // ---- helpers

    private static final String UUID_1 = "0b7c6f1e-2a44-4f0e-9d7a-6a8f3e1c5b21";
    private static final String UUID_2 = "5d1e8a90-7c3b-4b6f-a2e4-1f9c0d8b7a63";
    private static final String UUID_3 = "9e2f4c71-0a5d-4e8b-b3c6-7d1a2f6e9c04";
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    /** A one-byte inline record at offset 1 of partition 0. */
    private static SinkRecord oneByteRecord() {
        return record(TOPIC, 0, 1, "k", inline(UUID_1, "2026-03-15T09:41:07Z", new byte[] {1}), 1L);
    }

    private static SinkRecord record(
            String topic, int partition, long offset, String key, Object value, long timestamp) {
        return new SinkRecord(
                topic,
                partition,
                Schema.OPTIONAL_BYTES_SCHEMA,
                key.getBytes(StandardCharsets.UTF_8),
                Schema.OPTIONAL_BYTES_SCHEMA,
                value,
                offset,
                timestamp,
                TimestampType.CREATE_TIME);
    }

    private static List<SinkRecord> numbered(int from, int to, long timestamp) {
        return IntStream.range(from, to)
                .mapToObj(i -> record("t", 0, i, "k", "v" + i, timestamp))
                .toList();
    }

    private static byte[] inline(String id, String dateTime, byte[] payload) {
        return message(
                id,
                dateTime,
                "{\"inline\":\""
                        + Base64.getEncoder().encodeToString(payload)
                        + "\",\"contentType\":\"application/json\",\"size\":"
                        + payload.length
                        + "}");
    }

    private static byte[] staged(String id, String key) {
        return message(
                id,
                "2026-03-15T09:41:07.512Z",
                "{\"s3\":{\"bucket\":\""
                        + STAGING
                        + "\",\"key\":\""
                        + key
                        + "\"},\"contentType\":\"application/octet-stream\",\"size\":5366337}");
    }

    private static byte[] message(String id, String dateTime, String payload) {
        return ("{\"messageID\":\""
                        + id
                        + "\",\"messageMetaData\":{\"messageType\":\"T\",\"sourceSystemID\":\"s\","
                        + "\"sourceTransactionID\":\"t\",\"dateTime\":\""
                        + dateTime
                        + "\"},\"messageSecurityContext\":{\"principal\":\"p\"},\"payload\":"
                        + payload
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, byte[]> objects(String bucket) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (String key : s3.keys(bucket)) {
            objects.put(key, s3.get(bucket, key));
        }
        return objects;
    }

    private Map<String, String> objectsAsText(String bucket) {
        Map<String, String> objects = new LinkedHashMap<>();
        objects(bucket).forEach((k, v) -> objects.put(k, new String(v, StandardCharsets.UTF_8)));
        return objects;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] decode(JsonNode node) {
        assertThat(node.isTextual()).as("base64 text, got %s", node).isTrue();
        return Base64.getDecoder().decode(node.textValue());
    }
}
