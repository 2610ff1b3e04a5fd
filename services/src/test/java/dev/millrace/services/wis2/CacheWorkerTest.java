package dev.millrace.services.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.Config;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the cache step turns a batch of fetch requests into one transaction: cache notifications on
 * their MQTT topic, fetch results for the ledger, the batch's offsets, and the WMO metrics.
 * Downloads and the object store are fakes here; the Kafka side runs for real in the Global Cache
 * IT.
 */
class CacheWorkerTest {
    private static final String TOPIC =
            "origin/a/wis2/xx-node/data/core/weather/surface-based-observations/synop";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:05Z");
    private static final TopicPartition REQUESTS =
            new TopicPartition(TopicCatalog.WIS2_FETCH_REQUESTS.name(), 0);

    private final Wis2Settings settings =
            Wis2Settings.from(Config.defaults(Wis2Settings.KEYS))
                    .withDefaultCacheBaseUrl("http://cache.example.org/wis2/cache");
    private final Map<String, byte[]> served = new HashMap<>();
    private final Map<String, byte[]> stored = new HashMap<>();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final CacheWorker worker =
            new CacheWorker(
                    settings,
                    consumer,
                    producer,
                    new CacheStep(
                            settings.centreId(),
                            settings.cacheBaseUrl(),
                            href -> {
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

    @AfterEach
    void close() {
        registry.close();
    }

    private static ConsumerRecord<byte[], byte[]> request(long offset, WnmBuilder wnm) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        REQUESTS.topic(),
                        0,
                        offset,
                        "data-id".getBytes(StandardCharsets.UTF_8),
                        wnm.bytes());
        record.headers().add("mqtt.topic", TOPIC.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static WnmBuilder wnm(String id, String file) {
        return WnmBuilder.notification(
                        id, "xx-node/data/core/weather/synop/" + file, NOW.toString())
                .link("canonical", "https://node.example.org/" + file, "application/bufr");
    }

    @Test
    void aBatchEndsInOneTransactionWithItsOutputsAndOffsets() throws Exception {
        served.put("https://node.example.org/good.bufr4", new byte[] {1, 2, 3});
        producer.initTransactions();

        worker.process(
                new ConsumerRecords<>(
                        Map.of(
                                REQUESTS,
                                List.of(
                                        request(7, wnm("good", "good.bufr4")),
                                        request(8, wnm("missing", "missing.bufr4")),
                                        request(9, wnm("plain", "plain.bufr4").cache(false))))));

        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.consumerGroupOffsetsHistory())
                .containsExactly(
                        Map.of(
                                consumer.groupMetadata().groupId(),
                                Map.of(REQUESTS, new OffsetAndMetadata(10))));
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent)
                .extracting(ProducerRecord::topic)
                .containsExactly(
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                        TopicCatalog.WIS2_FETCH_RESULTS.name(),
                        TopicCatalog.WIS2_FETCH_RESULTS.name(),
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name());
        assertThat(new String(sent.get(0).headers().lastHeader("mqtt.topic").value()))
                .isEqualTo(TOPIC.replaceFirst("origin", "cache"));
        assertThat(Json.mapper().readTree(sent.get(1).value()).path("cached").asBoolean()).isTrue();
        assertThat(Json.mapper().readTree(sent.get(2).value()).path("cached").asBoolean())
                .isFalse();
        assertThat(stored).hasSize(1);
    }

    @Test
    void countsEachOutcomeUnderTheCentreWhoseDataItIs() throws Exception {
        served.put("https://node.example.org/good.bufr4", new byte[] {1, 2, 3});
        producer.initTransactions();

        worker.process(
                new ConsumerRecords<>(
                        Map.of(
                                REQUESTS,
                                List.of(
                                        request(0, wnm("good", "good.bufr4")),
                                        request(1, wnm("missing", "missing.bufr4")),
                                        request(2, wnm("plain", "plain.bufr4").cache(false))))));

        String scrape = registry.scrape();
        String labels = "centre_id=\"xx-node\",report_by=\"" + settings.centreId() + "\"";
        assertThat(scrape)
                .contains("wmo_wis2_gc_downloaded_total{" + labels + "} 1.0")
                .contains("wmo_wis2_gc_downloaded_errors_total{" + labels + "} 1.0")
                .contains("wmo_wis2_gc_no_cache_total{" + labels + "} 1.0")
                .contains(
                        "wmo_wis2_gc_last_download_timestamp_seconds{"
                                + labels
                                + "} "
                                + (double) NOW.getEpochSecond());
    }
}
