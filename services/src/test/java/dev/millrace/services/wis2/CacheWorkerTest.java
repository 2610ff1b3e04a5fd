package dev.millrace.services.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.Config;
import dev.millrace.deadletter.DeadLetterHeaders;
import dev.millrace.json.Json;
import dev.millrace.wis2.CacheStep;
import dev.millrace.wis2.Wis2Settings;
import dev.millrace.wis2.WnmBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the cache worker commits finished fetch requests, whatever their order: cache notifications
 * on their MQTT topic, fetch results for the ledger, offsets that name what finished past a slow
 * request, and the WMO metrics counted once committed. Downloads and the object store are fakes
 * here; the Kafka side runs for real in the Global Cache ITs.
 */
class CacheWorkerTest {
    private static final String TOPIC =
            "origin/a/wis2/xx-node/data/core/weather/surface-based-observations/synop";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:05Z");
    private static final TopicPartition REQUESTS =
            new TopicPartition(TopicCatalog.WIS2_FETCH_REQUESTS.name(), 0);

    private final Wis2Settings settings =
            Wis2Settings.from(
                            Config.builder(Wis2Settings.KEYS)
                                    .flags(Map.of("wis2.metrics.centres", "yy-node@data.yy.org"))
                                    .build())
                    .withDefaultCacheBaseUrl("http://cache.example.org/wis2/cache");
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final CountDownLatch slow = new CountDownLatch(1);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final CacheWorker worker =
            new CacheWorker(
                    settings,
                    () -> consumer,
                    () -> producer,
                    new CacheStep(
                            settings.centreId(),
                            settings.cacheBaseUrl(),
                            1024,
                            href -> {
                                if (href.endsWith("slow.bufr4")) {
                                    slow.await();
                                }
                                byte[] data = served.get(href);
                                if (data == null) {
                                    throw new CacheStep.FetchException(href + " answered HTTP 404");
                                }
                                return data;
                            },
                            (key, data, type) -> stored.put(key, data),
                            clock),
                    null,
                    registry,
                    clock,
                    () -> {});
    private final CacheWorker.Session session = worker.new Session(consumer, producer);

    @BeforeEach
    void assign() {
        producer.initTransactions();
        consumer.assign(List.of(REQUESTS));
        consumer.updateBeginningOffsets(Map.of(REQUESTS, 0L));
        session.onPartitionsAssigned(List.of(REQUESTS));
    }

    @AfterEach
    void close() {
        slow.countDown();
        registry.close();
    }

    private static ConsumerRecord<byte[], byte[]> request(long offset, WnmBuilder wnm) {
        return request(offset, TOPIC, wnm);
    }

    private static ConsumerRecord<byte[], byte[]> request(
            long offset, String topic, WnmBuilder wnm) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        REQUESTS.topic(),
                        0,
                        offset,
                        "data-id".getBytes(StandardCharsets.UTF_8),
                        wnm.bytes());
        record.headers().add("mqtt.topic", topic.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static WnmBuilder wnm(String id, String file) {
        return WnmBuilder.notification(
                        id, "xx-node/data/core/weather/synop/" + file, NOW.toString())
                .link("canonical", "https://node.example.org/" + file, "application/bufr");
    }

    /** Steps the session until {@code records} outputs are committed. */
    private void stepUntilCommitted(int records) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.history().size() < records) {
            assertThat(System.nanoTime()).as("outputs committed in time").isLessThan(deadline);
            session.step();
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private List<OffsetAndMetadata> commits() {
        return producer.consumerGroupOffsetsHistory().stream()
                .map(byGroup -> byGroup.get(consumer.groupMetadata().groupId()).get(REQUESTS))
                .toList();
    }

    private static List<String> topics(List<ProducerRecord<byte[], byte[]>> sent) {
        return sent.stream().map(ProducerRecord::topic).toList();
    }

    @Test
    void finishedRequestsCommitWithTheirOutputsAndOffsets() throws Exception {
        served.put("https://node.example.org/good.bufr4", new byte[] {1, 2, 3});
        consumer.addRecord(request(7, wnm("good", "good.bufr4")));
        consumer.addRecord(request(8, wnm("missing", "missing.bufr4")));
        consumer.addRecord(request(9, wnm("plain", "plain.bufr4").cache(false)));

        stepUntilCommitted(5);

        assertThat(topics(producer.history()))
                .containsExactlyInAnyOrder(
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                        TopicCatalog.WIS2_FETCH_RESULTS.name(),
                        TopicCatalog.WIS2_FETCH_RESULTS.name(),
                        TopicCatalog.WIS2_DLQ.name(),
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name());
        // The request that could not be served is dead-lettered whole, ready for a redrive.
        ProducerRecord<byte[], byte[]> letter =
                producer.history().stream()
                        .filter(r -> r.topic().equals(TopicCatalog.WIS2_DLQ.name()))
                        .findFirst()
                        .orElseThrow();
        assertThat(letter.value()).isEqualTo(wnm("missing", "missing.bufr4").bytes());
        assertThat(header(letter, "mqtt.topic")).isEqualTo(TOPIC);
        assertThat(header(letter, DeadLetterHeaders.MESSAGE))
                .isEqualTo("https://node.example.org/missing.bufr4 answered HTTP 404");
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(REQUESTS.topic());
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo("8");
        assertThat(producer.history())
                .filteredOn(r -> r.topic().equals(TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name()))
                .allSatisfy(
                        r ->
                                assertThat(new String(r.headers().lastHeader("mqtt.topic").value()))
                                        .isEqualTo(TOPIC.replaceFirst("origin", "cache")));
        assertThat(producer.history())
                .filteredOn(r -> r.topic().equals(TopicCatalog.WIS2_FETCH_RESULTS.name()))
                .extracting(r -> Json.mapper().readTree(r.value()).path("cached").asBoolean())
                .containsExactlyInAnyOrder(true, false);
        assertThat(commits()).last().isEqualTo(new OffsetAndMetadata(10, ""));
        assertThat(stored).hasSize(1);
    }

    @Test
    void aSlowDownloadHoldsBackNothingBehindIt() throws Exception {
        served.put("https://node.example.org/slow.bufr4", new byte[] {1});
        served.put("https://node.example.org/fast.bufr4", new byte[] {2});
        consumer.addRecord(request(7, wnm("slow", "slow.bufr4")));
        consumer.addRecord(request(8, wnm("fast", "fast.bufr4")));

        stepUntilCommitted(2);

        assertThat(producer.history())
                .extracting(r -> Json.mapper().readTree(r.value()).path("id").asText())
                .doesNotContain("slow");
        assertThat(commits())
                .as("the slow request's offset stays committed, the fast one is named done")
                .containsExactly(new OffsetAndMetadata(7, PartitionProgress.encode(7, set(8))));

        slow.countDown();
        stepUntilCommitted(4);
        assertThat(commits()).last().isEqualTo(new OffsetAndMetadata(9, ""));
    }

    @Test
    void nothingIsCountedWhenTheTransactionFails() throws Exception {
        served.put("https://node.example.org/good.bufr4", new byte[] {1, 2, 3});
        producer.commitTransactionException = new KafkaException("broker gone");
        consumer.addRecord(request(0, wnm("good", "good.bufr4")));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        assertThatThrownBy(
                        () -> {
                            while (System.nanoTime() < deadline) {
                                session.step();
                            }
                        })
                .hasMessageContaining("broker gone");
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(registry.scrape()).doesNotContain("centre_id=\"xx-node\"");
    }

    private String labels(String centre) {
        return "centre_id=\"" + centre + "\",report_by=\"" + settings.centreId() + "\"";
    }

    @Test
    void countsEachOutcomeUnderTheCentreWhoseDataItIs() throws Exception {
        served.put("https://node.example.org/good.bufr4", new byte[] {1, 2, 3});
        served.put("https://node.example.org/bad.bufr4", new byte[] {1, 2, 3});
        served.put("https://node.example.org/meta.json", new byte[] {4});
        consumer.addRecord(request(0, wnm("good", "good.bufr4")));
        consumer.addRecord(request(1, wnm("missing", "missing.bufr4")));
        consumer.addRecord(request(2, wnm("plain", "plain.bufr4").cache(false)));
        consumer.addRecord(
                request(
                        3,
                        WnmBuilder.notification("huge", "xx-node/huge", NOW.toString())
                                .link("canonical", "https://big.example.org/huge", "a/b", 4096)));
        // Too large to keep: never downloaded, so no series for its server either.
        consumer.addRecord(request(4, wnm("bad", "bad.bufr4").integrity("sha512", "bm90IHRoaXM=")));
        consumer.addRecord(
                request(5, "origin/a/wis2/xx-node/metadata/core", wnm("meta", "meta.json")));

        stepUntilCommitted(11);

        String scrape = registry.scrape();
        String labels = labels("xx-node");
        String node =
                "centre_id=\"xx-node\",dataserver=\"node.example.org\",report_by=\""
                        + settings.centreId()
                        + "\"";
        assertThat(scrape)
                .contains("wmo_wis2_gc_downloaded_total{" + labels + "} 2.0")
                .contains("wmo_wis2_gc_downloaded_errors_total{" + labels + "} 1.0")
                .contains("wmo_wis2_gc_no_cache_total{" + labels + "} 1.0")
                .contains("wmo_wis2_gc_cache_override_total{" + labels + "} 1.0")
                .contains("wmo_wis2_gc_integrity_failed_total{" + labels + "} 1.0")
                .contains(
                        "wmo_wis2_gc_last_download_timestamp_seconds{"
                                + labels
                                + "} "
                                + (double) NOW.getEpochSecond())
                .contains(
                        "wmo_wis2_gc_last_metadata_timestamp_seconds{"
                                + labels
                                + "} "
                                + (double) NOW.getEpochSecond())
                .contains(
                        "wmo_wis2_gc_dataserver_last_download_timestamp_seconds{"
                                + node
                                + "} "
                                + (double) NOW.getEpochSecond())
                .doesNotContain("big.example.org");
    }

    @Test
    void anIntegrityFailureSetsTheServerDown() throws Exception {
        served.put("https://node.example.org/good.bufr4", new byte[] {1, 2, 3});
        consumer.addRecord(request(0, wnm("good", "good.bufr4")));
        stepUntilCommitted(2);
        assertThat(statusFlag(registry.scrape(), "node.example.org")).isEqualTo(1.0);

        consumer.addRecord(
                request(1, wnm("bad", "good.bufr4").integrity("sha512", "bm90IHRoaXM=")));
        stepUntilCommitted(4);
        assertThat(statusFlag(registry.scrape(), "node.example.org")).isEqualTo(0.0);
    }

    @Test
    void configuredCentresHaveEverySeriesAtZeroFromTheStart() {
        String scrape = registry.scrape();
        String labels = labels("yy-node");
        for (String counter :
                List.of(
                        "downloaded",
                        "downloaded_errors",
                        "integrity_failed",
                        "no_cache",
                        "cache_override")) {
            assertThat(scrape).contains("wmo_wis2_gc_" + counter + "_total{" + labels + "} 0.0");
        }
        assertThat(scrape)
                .contains("wmo_wis2_gc_last_download_timestamp_seconds{" + labels + "} 0.0")
                .contains("wmo_wis2_gc_last_metadata_timestamp_seconds{" + labels + "} 0.0");
        assertThat(statusFlag(scrape, "data.yy.org")).isEqualTo(0.0);
    }

    private static double statusFlag(String scrape, String server) {
        return scrape.lines()
                .filter(
                        l ->
                                l.startsWith("wmo_wis2_gc_dataserver_status_flag{")
                                        && l.contains("dataserver=\"" + server + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow();
    }

    private static java.util.NavigableSet<Long> set(long... offsets) {
        java.util.NavigableSet<Long> set = new java.util.TreeSet<>();
        for (long offset : offsets) {
            set.add(offset);
        }
        return set;
    }
}
