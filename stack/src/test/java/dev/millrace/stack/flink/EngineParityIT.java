package dev.millrace.stack.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.cli.flink.FlinkHome;
import dev.millrace.cli.flink.FlinkProcess;
import dev.millrace.cli.flink.FlinkRest;
import dev.millrace.deadletter.DeadLetterHeaders;
import dev.millrace.files.Directories;
import dev.millrace.local.Ports;
import dev.millrace.local.TopicReader;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.stack.testing.Commands;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import dev.millrace.wis2.Checksums;
import dev.millrace.wis2.WnmBuilder;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same input logs through the Kafka Streams topologies and the Flink jobs, side by side on the
 * local stack: the Flink jobs run in a Flink session of their own (a MiniCluster with its REST API
 * in a child JVM, the job jar submitted to it as to any cluster) and write the same topics with a
 * suffix. A third of the way, the Flink session is killed and a new one restores each job from its
 * last retained checkpoint; two thirds of the way, every job is stopped with a savepoint and
 * started again from it. Every output topic must match its twin, read_committed: keys, values, the
 * headers that matter and the order per key.
 */
class EngineParityIT {
    private static final String SUFFIX = ".flink";
    private static final List<TopicDefinition> OUTPUTS =
            List.of(
                    TopicCatalog.TELEMETRY_CAR_STATUS,
                    TopicCatalog.TELEMETRY_EVENTS,
                    TopicCatalog.TELEMETRY_DLQ,
                    TopicCatalog.WIS2_DLQ,
                    TopicCatalog.WIS2_FETCH_REQUESTS,
                    TopicCatalog.AUDIT_METADATA,
                    TopicCatalog.AUDIT_FINAL_STATE,
                    TopicCatalog.AUDIT_EVENTS,
                    TopicCatalog.AUDIT_DLQ);
    private static final String ORIGIN =
            "origin/a/wis2/xx-node/data/core/weather/surface-based-observations/synop";

    static Path dir;
    static LocalStack stack;
    static HttpServer dataServer;
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static KafkaProducer<byte[], byte[]> producer;
    static FlinkProcess session;
    static int restPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parity-it");
        dataServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dataServer.createContext(
                "/",
                exchange -> {
                    byte[] body = files.get(exchange.getRequestURI().getPath());
                    exchange.sendResponseHeaders(
                            body == null ? 404 : 200, body == null ? -1 : body.length);
                    if (body != null) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                    exchange.close();
                });
        dataServer.start();
        LocalStackSettings settings =
                LocalStackSettings.onFreePorts(
                        dir.resolve("stack"), Map.of("wis2.fetch.retries", "0"), Map.of());
        stack = LocalStack.start(settings);
        Map<String, Health.Status> health = stack.awaitHealthy(Duration.ofMinutes(2));
        assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);
        stack.admin()
                .createTopics(
                        OUTPUTS.stream()
                                .map(
                                        t ->
                                                new NewTopic(
                                                        t.name() + SUFFIX,
                                                        t.partitions(),
                                                        (short) 1))
                                .toList())
                .all()
                .get();
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                settings.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        restPort = Ports.free();
    }

    @AfterAll
    static void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (dataServer != null) {
            dataServer.stop(0);
        }
        if (dir != null) {
            Directories.delete(dir);
        }
    }

    private static List<String> settings() {
        return List.of(
                "--set", "kafka.bootstrap-servers=" + stack.settings().bootstrapServers(),
                "--set", "flink.output-suffix=" + SUFFIX,
                "--set", "flink.checkpoint-interval=500ms",
                "--set", "flink.parallelism=2",
                "--set", "flink.checkpoint-dir=" + dir.resolve("checkpoints").toUri());
    }

    /**
     * A Flink session with the three jobs, submitted with {@code millrace flink submit}, each
     * restored from its checkpoint or savepoint when given.
     */
    private static Map<String, String> startJobs(Map<String, String> restoreFrom) throws Exception {
        session =
                FlinkProcess.session(
                        FlinkHome.require(),
                        restPort,
                        6,
                        List.of(),
                        dir.resolve("flink-session.log"),
                        Duration.ofMinutes(2));
        FlinkRest rest = new FlinkRest(FlinkProcess.restUrl(restPort));
        Map<String, String> jobs = new LinkedHashMap<>();
        for (String job : List.of("telemetry", "wis2", "audit")) {
            List<String> args =
                    new ArrayList<>(
                            List.of("submit", job, "--rest-url", FlinkProcess.restUrl(restPort)));
            args.addAll(settings());
            if (restoreFrom.containsKey(job)) {
                args.addAll(List.of("--restore", restoreFrom.get(job)));
            }
            jobs.put(job, submit(args));
        }
        for (String jobId : jobs.values()) {
            rest.await(jobId, "RUNNING", Duration.ofMinutes(2));
        }
        return jobs;
    }

    /** Runs {@code millrace flink submit ...}; the job id it prints. */
    private static String submit(List<String> args) {
        List<String> all = new ArrayList<>(List.of("flink"));
        all.addAll(args);
        Commands.Run run = Commands.run(all.toArray(String[]::new));
        assertThat(run.exit()).as("millrace flink " + args).isZero();
        List<String> lines = run.out().strip().lines().toList();
        String jobId = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        assertThat(jobId).matches("[0-9a-f]{32}");
        return jobId;
    }

    @Test
    void bothEnginesWriteTheSameOutputsAcrossACrashAndASavepointOfTheFlinkJobs() throws Exception {
        Map<String, String> jobs = startJobs(Map.of());
        FlinkRest rest = new FlinkRest(FlinkProcess.restUrl(restPort));

        RaceSimulation race =
                RaceSimulation.matFeed(DemoTrack.TRACK, 6, RaceSimulation.replayStart(), 7);
        sendFixes(race, "race-1", 6 * 5 * 40);
        sendWis2(0, 6);
        sendAudit(0, 10);
        producer.flush();

        // Crash once every job has checkpointed past some of the input.
        awaitCheckpoints(rest, jobs.values(), 3);
        session.kill();
        Map<String, String> restore = new LinkedHashMap<>();
        jobs.forEach(
                (job, jobId) ->
                        restore.put(
                                job,
                                FlinkEngine.latestCheckpoint(dir.resolve("checkpoints"), jobId)
                                        .orElseThrow()
                                        .toUri()
                                        .toString()));
        Map<String, String> restored = startJobs(restore);

        sendFixes(race, "race-1", 6 * 5 * 40);
        sendWis2(6, 12);
        sendAudit(10, 20);
        producer.flush();

        // Stop every job with a savepoint once all its tasks run, and start it again from there.
        awaitCheckpoints(rest, restored.values(), 2);
        Map<String, String> savepoints = new LinkedHashMap<>();
        for (Map.Entry<String, String> job : restored.entrySet()) {
            savepoints.put(
                    job.getKey(),
                    rest.stopWithSavepoint(
                            job.getValue(),
                            dir.resolve("savepoints").toUri().toString(),
                            Duration.ofMinutes(2)));
        }
        session.close();
        startJobs(savepoints);

        sendFixes(race, "race-1", 6 * 5 * 20);
        sendWis2(12, 16);
        sendAudit(20, 26);
        producer.flush();

        for (TopicDefinition topic : OUTPUTS) {
            assertSameOutputs(topic.name());
        }
    }

    private static void awaitCheckpoints(FlinkRest rest, Iterable<String> jobIds, long count)
            throws Exception {
        for (String jobId : jobIds) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (rest.completedCheckpoints(jobId) < count) {
                assertThat(System.nanoTime()).as("checkpoints of " + jobId).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static void sendFixes(RaceSimulation race, String raceId, int fixes) {
        byte[] key = raceId.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < fixes; i++) {
            Fix fix = race.next();
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                            null,
                            fix.timestamp(),
                            key,
                            FixJson.write(fix)));
            if (i == fixes / 2) {
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                                null,
                                fix.timestamp(),
                                key,
                                "{\"carIndex\": \"fast\"}".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /**
     * Data ids {@code from} to {@code to}: each sent twice with one id (two Global Brokers), a copy
     * whose download fails then a good copy, and for even ones an update; plus a notification that
     * is not one.
     */
    private static void sendWis2(int from, int to) throws Exception {
        for (int d = from; d < to; d++) {
            String dataId = "xx-node/data/core/weather/synop/parity-" + d;
            byte[] data = ("observation " + d).getBytes(StandardCharsets.UTF_8);
            files.put("/parity-" + d + ".bufr4", data);
            String sha = Base64.getEncoder().encodeToString(Checksums.digest("sha512", data));
            String id = UUID.randomUUID().toString();
            notification(
                    dataId,
                    wnm(
                            id,
                            dataId,
                            "2026-11-23T12:00:00Z",
                            "canonical",
                            "missing-" + d + ".bufr4",
                            sha));
            notification(
                    dataId,
                    wnm(
                            id,
                            dataId,
                            "2026-11-23T12:00:00Z",
                            "canonical",
                            "missing-" + d + ".bufr4",
                            sha));
            notification(
                    dataId,
                    wnm(
                            UUID.randomUUID().toString(),
                            dataId,
                            "2026-11-23T12:00:00Z",
                            "canonical",
                            "parity-" + d + ".bufr4",
                            sha));
            if (d % 2 == 0) {
                byte[] update = ("update " + d).getBytes(StandardCharsets.UTF_8);
                files.put("/parity-" + d + "-v2.bufr4", update);
                notification(
                        dataId,
                        wnm(
                                UUID.randomUUID().toString(),
                                dataId,
                                "2026-11-23T12:30:00Z",
                                "update",
                                "parity-" + d + "-v2.bufr4",
                                Base64.getEncoder()
                                        .encodeToString(Checksums.digest("sha512", update))));
            }
        }
        notification("xx-node/not-one-" + from, "{\"id\": 3}".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] wnm(
            String id, String dataId, String pubtime, String rel, String file, String sha) {
        return WnmBuilder.notification(id, dataId, pubtime)
                .datetime("2026-11-23T12:00:00Z")
                .integrity("sha512", sha)
                .link(
                        rel,
                        "http://127.0.0.1:" + dataServer.getAddress().getPort() + "/" + file,
                        "application/bufr")
                .bytes();
    }

    private static void notification(String dataId, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("mqtt.topic", ORIGIN.getBytes(StandardCharsets.UTF_8));
        producer.send(
                new ProducerRecord<>(
                        TopicCatalog.WIS2_NOTIFICATIONS.name(),
                        null,
                        System.currentTimeMillis(),
                        dataId.getBytes(StandardCharsets.UTF_8),
                        value,
                        headers));
    }

    /** Audit records as the ingest writes them, one reusing an id for another payload. */
    private static void sendAudit(int from, int to) {
        for (int i = from; i < to; i++) {
            String id = "parity-" + i;
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.AUDIT_MESSAGES.name(),
                            id.getBytes(StandardCharsets.UTF_8),
                            auditRecord(id, "sha-" + i)));
        }
        String reused = "parity-" + from;
        producer.send(
                new ProducerRecord<>(
                        TopicCatalog.AUDIT_MESSAGES.name(),
                        reused.getBytes(StandardCharsets.UTF_8),
                        auditRecord(reused, "another")));
    }

    private static byte[] auditRecord(String id, String sha) {
        return """
        {"payload": {"inline": "eyJhIjoxfQ==", "contentType": "application/json", "size": 7},
         "messageID": "%s",
         "messageMetaData": {"messageType": "T", "sourceSystemID": "s",
                             "sourceTransactionID": "t-%s", "dateTime": "2026-03-15T09:41:07Z"},
         "messageSecurityContext": {"apiKeyId": "k", "payloadSha256": "%s"}}
        """
                .formatted(id, id, sha)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits until the topic and its twin hold as many committed records and stop growing, then
     * compares them key by key.
     */
    private static void assertSameOutputs(String topic) throws InterruptedException {
        String bootstrap = stack.settings().bootstrapServers();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int stableRounds = 0;
        int lastCount = -1;
        Map<String, List<String>> streams = Map.of();
        Map<String, List<String>> flink = Map.of();
        while (stableRounds < 3) {
            assertThat(System.nanoTime())
                    .as("%s and %s settle: %s vs %s", topic, topic + SUFFIX, streams, flink)
                    .isLessThan(deadline);
            streams =
                    byKey(TopicReader.readSettled(bootstrap, topic, Duration.ofSeconds(30)), topic);
            flink =
                    byKey(
                            TopicReader.readSettled(
                                    bootstrap, topic + SUFFIX, Duration.ofSeconds(30)),
                            topic);
            int count = streams.values().stream().mapToInt(List::size).sum();
            int flinkCount = flink.values().stream().mapToInt(List::size).sum();
            stableRounds = count == flinkCount && count == lastCount ? stableRounds + 1 : 0;
            lastCount = count;
            Thread.sleep(1000);
        }
        assertThat(flink).as(topic).isEqualTo(streams);
        if (!topic.endsWith(".dlq")) {
            assertThat(streams).as(topic + " has outputs").isNotEmpty();
        }
    }

    /** A dead letter of a fetch request the cache step could not serve. */
    private static boolean fromTheCacheStep(ConsumerRecord<byte[], byte[]> record) {
        Header source = record.headers().lastHeader(DeadLetterHeaders.TOPIC);
        return source != null
                && new String(source.value(), StandardCharsets.UTF_8)
                        .equals(TopicCatalog.WIS2_FETCH_REQUESTS.name());
    }

    /**
     * Each key's records in order: the value, the headers that matter and, where the engines must
     * agree on it, the timestamp. A fetch request's time is its notification's or, when it waited
     * for a failed copy, its fetch result's, which the engines may see in either order.
     */
    private static Map<String, List<String>> byKey(
            List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        boolean withTime = !topic.equals(TopicCatalog.WIS2_FETCH_REQUESTS.name());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (fromTheCacheStep(record)) {
                // The cache step serves the Streams engine's fetch requests alone.
                continue;
            }
            StringBuilder text = new StringBuilder();
            if (withTime) {
                text.append(record.timestamp()).append(' ');
            }
            text.append(
                    record.value() == null
                            ? "null"
                            : new String(record.value(), StandardCharsets.UTF_8));
            for (Header header : record.headers()) {
                if (header.key().equals("mqtt.topic")
                        || header.key().startsWith("__streams.errors.")) {
                    text.append(" | ")
                            .append(header.key())
                            .append('=')
                            .append(new String(header.value(), StandardCharsets.UTF_8));
                }
            }
            String key =
                    record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(text.toString());
        }
        return byKey;
    }
}
