package dev.millrace.services.wis2;

import com.sun.net.httpserver.HttpHandler;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import dev.millrace.services.Service;
import dev.millrace.wis2.CacheKeys;
import dev.millrace.wis2.CacheNotifications;
import dev.millrace.wis2.Checksums;
import dev.millrace.wis2.FetchResult;
import dev.millrace.wis2.InlineData;
import dev.millrace.wis2.InvalidNotificationException;
import dev.millrace.wis2.Notification;
import dev.millrace.wis2.Wis2Settings;
import dev.millrace.wis2.Wis2Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Global Cache's cache step: takes fetch requests, downloads (or decodes) the data, verifies
 * its integrity, stores it in the cache bucket and only then publishes the cache notification, and
 * tells the dedupe ledger how each fetch ended.
 *
 * <p>Exactly-once with Kafka: each polled batch is fetched concurrently, then its cache
 * notifications, its fetch results and its input offsets go in one transaction. A crash repeats at
 * most the batch's downloads and S3 writes, to the same deterministic keys, and republishes nothing
 * twice. The dedupe topology lets at most one fetch per data_id be in flight, so the batch's
 * requests can run in any order.
 */
public final class CacheWorker implements Service {
    private static final Logger log = LoggerFactory.getLogger(CacheWorker.class);
    public static final String GROUP_ID = "millrace-wis2-cache";

    private final Wis2Settings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService downloads;
    private final Downloader downloader;
    private final CacheStore store;
    private final Wis2Metrics metrics;
    private final Clock clock;
    private final Thread thread;
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "wis2-cache-expiry");
                        t.setDaemon(true);
                        return t;
                    });
    private volatile boolean running = true;
    private volatile String problem = "starting";

    public CacheWorker(
            KafkaSettings kafka,
            Wis2Settings settings,
            software.amazon.awssdk.services.s3.S3Client s3,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this.settings = settings;
        Map<String, Object> consumerProps = new HashMap<>(kafka.clientProperties());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.fetchConcurrency() * 4);
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.consumer =
                new KafkaConsumer<>(
                        consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Properties producerProps = new Properties();
        producerProps.putAll(kafka.clientProperties());
        producerProps.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, GROUP_ID + "-" + UUID.randomUUID());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer =
                new KafkaProducer<>(
                        producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.downloads =
                Executors.newFixedThreadPool(
                        settings.fetchConcurrency(),
                        r -> {
                            Thread t = new Thread(r, "wis2-download");
                            t.setDaemon(true);
                            return t;
                        });
        this.downloader =
                new Downloader(
                        settings.fetchTimeout(), settings.fetchMaxBytes(), settings.fetchRetries());
        this.store = new CacheStore(s3, settings.cacheBucket());
        this.metrics = new Wis2Metrics(registry, settings.centreId());
        this.clock = Clock.systemUTC();
        this.thread = new Thread(this::run, "wis2-cache-worker");
    }

    @Override
    public void start() {
        thread.start();
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 10, java.util.concurrent.TimeUnit.MINUTES);
    }

    private void sweep() {
        try {
            int expired = expire();
            if (expired > 0) {
                log.info(
                        "expired {} cached objects older than {}",
                        expired,
                        settings.cacheRetention());
            }
        } catch (RuntimeException e) {
            log.warn("expiring cached objects failed: {}", e.getMessage());
        }
    }

    /** Null while the worker runs; otherwise why not. */
    @Override
    public String problem() {
        return problem;
    }

    /** The cached objects, served without credentials where the cache notifications point. */
    @Override
    public Map<String, HttpHandler> routes() {
        return Map.of(CacheHandler.PATH, new CacheHandler(this));
    }

    /** Expires cached objects older than the retention; returns how many went. */
    public int expire() {
        return store.expire(settings.cacheRetention(), clock.instant());
    }

    /** Serves a cached object, for the HTTP route. */
    CacheStore store() {
        return store;
    }

    private void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(TopicCatalog.WIS2_FETCH_REQUESTS.name()));
            problem = null;
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    process(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                problem = "woken up unexpectedly";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem = "stopped: " + e.getMessage();
            log.error("wis2 cache worker stopped: {}", e.toString());
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        records.forEach(batch::add);
        List<Future<List<ProducerRecord<byte[], byte[]>>>> outcomes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            outcomes.add(downloads.submit(() -> handle(record)));
        }
        List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>();
        for (Future<List<ProducerRecord<byte[], byte[]>>> outcome : outcomes) {
            try {
                outputs.addAll(outcome.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a fetch failed unexpectedly", e.getCause());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            offsets.put(
                    new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
        }
        producer.beginTransaction();
        try {
            outputs.forEach(producer::send);
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    /** One fetch request: what it publishes (a cache notification, a fetch result, or both). */
    private List<ProducerRecord<byte[], byte[]>> handle(ConsumerRecord<byte[], byte[]> record)
            throws InterruptedException {
        String topic = header(record, "mqtt.topic");
        Notification notification = Notification.parse(record.value());
        String centre = centreOf(notification, topic);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        if (!notification.cache()) {
            out.add(
                    cacheNotification(
                            record.key(),
                            CacheNotifications.republished(notification, settings.centreId()),
                            topic));
            metrics.noCache(centre);
            return out;
        }
        String dataServer = notification.downloadLink().map(l -> host(l.href())).orElse(null);
        String failure = null;
        try {
            byte[] data = data(notification);
            var integrity = notification.integrity();
            if (integrity.isPresent() && !Checksums.matches(data, integrity.get())) {
                metrics.integrityFailed(centre);
                failure = "integrity check (" + integrity.get().method() + ") failed";
            } else {
                String key = CacheKeys.objectKey(notification);
                store.put(key, data, contentType(notification));
                out.add(
                        cacheNotification(
                                record.key(),
                                CacheNotifications.cached(
                                        notification,
                                        settings.centreId(),
                                        CacheKeys.href(settings.cacheBaseUrl(), key)),
                                topic));
                metrics.downloaded(centre, dataServer, clock.instant().getEpochSecond());
            }
        } catch (Downloader.DownloadException
                | InvalidNotificationException
                | IllegalArgumentException e) {
            metrics.downloadFailed(centre, dataServer);
            failure = e.getMessage();
        }
        if (failure != null) {
            log.warn("not cached {} ({}): {}", notification.id(), notification.dataId(), failure);
        }
        out.add(
                new ProducerRecord<>(
                        TopicCatalog.WIS2_FETCH_RESULTS.name(),
                        record.key(),
                        new FetchResult(
                                        notification.id(),
                                        notification.pubtime(),
                                        failure == null,
                                        failure)
                                .toJson()));
        return out;
    }

    private byte[] data(Notification notification)
            throws Downloader.DownloadException, InterruptedException {
        var content = notification.content();
        if (content.isPresent()) {
            return InlineData.decode(content.get());
        }
        var link = notification.downloadLink();
        if (link.isEmpty()) {
            throw new Downloader.DownloadException("no canonical or update link to download");
        }
        return downloader.download(link.get().href());
    }

    private ProducerRecord<byte[], byte[]> cacheNotification(
            byte[] key, com.fasterxml.jackson.databind.node.ObjectNode json, String sourceTopic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                "mqtt.topic", Wis2Topics.cacheTopic(sourceTopic).getBytes(StandardCharsets.UTF_8));
        try {
            return new ProducerRecord<>(
                    TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                    null,
                    key,
                    Json.mapper().writeValueAsBytes(json),
                    headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The centre whose data it is: topic level 4, or the upstream cache that republished it. */
    private static String centreOf(Notification notification, String topic) {
        if (topic != null && topic.startsWith("cache/")) {
            var cache = notification.globalCache();
            if (cache.isPresent()) {
                return cache.get();
            }
        }
        String centre = topic == null ? null : Wis2Topics.centreId(topic);
        return centre == null ? "unknown" : centre;
    }

    private static String contentType(Notification notification) {
        var json = notification.asJson().path("links");
        for (var link : json) {
            String rel = link.path("rel").asText();
            if ((rel.equals("update") || rel.equals("canonical")) && link.hasNonNull("type")) {
                return link.get("type").asText();
            }
        }
        return "application/octet-stream";
    }

    private static String host(String href) {
        try {
            return URI.create(href).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        downloads.shutdownNow();
        sweeper.shutdownNow();
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
