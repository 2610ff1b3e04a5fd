package dev.millrace.services.wis2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import dev.millrace.services.Service;
import dev.millrace.services.internal.DaemonThreads;
import dev.millrace.wis2.CacheStep;
import dev.millrace.wis2.Notification;
import dev.millrace.wis2.Wis2Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Global Cache's cache step as a service: takes fetch requests, runs {@link CacheStep} on each
 * (download or decode, verify, store, make the cache notification), and publishes what it decided.
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
    private static final String TOPIC_HEADER = "mqtt.topic";

    private final Wis2Settings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final CacheStep step;
    private final CacheStore store;
    private final Wis2Metrics metrics;
    private final Clock clock;
    private final AutoCloseable s3;
    private final ExecutorService downloads;
    private final Thread thread;
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("wis2-cache-expiry"));
    private volatile boolean running = true;
    private volatile String problem = "starting";

    /** The cache step against the configured Kafka, storing in {@code s3}, which it closes. */
    public CacheWorker(
            KafkaSettings kafka, Wis2Settings settings, S3Client s3, MeterRegistry registry) {
        this(settings, consumer(kafka, settings), producer(kafka), s3, registry, Clock.systemUTC());
    }

    private CacheWorker(
            Wis2Settings settings,
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            S3Client s3,
            MeterRegistry registry,
            Clock clock) {
        this(
                settings,
                consumer,
                producer,
                new CacheStep(
                        settings.centreId(),
                        settings.cacheBaseUrl(),
                        new Downloader(
                                settings.fetchTimeout(),
                                settings.fetchMaxBytes(),
                                settings.fetchRetries()),
                        new CacheStore(s3, settings.cacheBucket()),
                        clock),
                new CacheStore(s3, settings.cacheBucket()),
                registry,
                clock,
                s3);
    }

    /**
     * The cache step with its clients, its decisions (and through them its downloader and object
     * store), the store it serves and expires, and its clock given.
     */
    CacheWorker(
            Wis2Settings settings,
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            CacheStep step,
            CacheStore store,
            MeterRegistry registry,
            Clock clock,
            AutoCloseable s3) {
        this.settings = settings;
        this.consumer = consumer;
        this.producer = producer;
        this.store = store;
        this.clock = clock;
        this.s3 = s3;
        this.step = step;
        this.metrics = new Wis2Metrics(registry, settings.centreId());
        this.downloads =
                Executors.newFixedThreadPool(
                        settings.fetchConcurrency(), DaemonThreads.named("wis2-download"));
        this.thread = new Thread(this::run, "wis2-cache-worker");
    }

    private static Consumer<byte[], byte[]> consumer(KafkaSettings kafka, Wis2Settings settings) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.fetchConcurrency() * 4);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Producer<byte[], byte[]> producer(KafkaSettings kafka) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, GROUP_ID + "-" + UUID.randomUUID());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void start() {
        thread.start();
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 10, TimeUnit.MINUTES);
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

    /** Fetches a batch concurrently, then commits its outputs with its offsets. */
    void process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
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
            } catch (ExecutionException e) {
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
        var header = record.headers().lastHeader(TOPIC_HEADER);
        String topic = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        Notification notification = Notification.parse(record.value());
        CacheStep.Outcome outcome = step.handle(topic, notification);
        metrics.count(outcome, step.epochSecond());
        if (outcome.failure() != null) {
            log.warn(
                    "not cached {} ({}): {}",
                    notification.id(),
                    notification.dataId(),
                    outcome.failure());
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        outcome.cacheNotification()
                .ifPresent(json -> out.add(cacheNotification(record.key(), json, outcome)));
        outcome.result()
                .ifPresent(
                        result ->
                                out.add(
                                        new ProducerRecord<>(
                                                TopicCatalog.WIS2_FETCH_RESULTS.name(),
                                                record.key(),
                                                result.toJson())));
        return out;
    }

    private static ProducerRecord<byte[], byte[]> cacheNotification(
            byte[] key, ObjectNode json, CacheStep.Outcome outcome) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TOPIC_HEADER, outcome.cacheTopic().getBytes(StandardCharsets.UTF_8));
        try {
            return new ProducerRecord<>(
                    TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                    null,
                    key,
                    Json.mapper().writeValueAsBytes(json),
                    headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
        try {
            s3.close();
        } catch (Exception e) {
            log.warn("closing the S3 client failed: {}", e.getMessage());
        }
    }
}
