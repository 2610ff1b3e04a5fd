package dev.millrace.services.wis2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import dev.millrace.services.Service;
import dev.millrace.services.internal.DaemonThreads;
import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.wis2.CacheStep;
import dev.millrace.wis2.FetchResult;
import dev.millrace.wis2.Notification;
import dev.millrace.wis2.Wis2Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * <p>Exactly-once with Kafka, and no request waits for another: up to {@code 4 ×
 * wis2.fetch.concurrency} requests are fetched at once, and whatever has finished is committed in
 * one transaction with its cache notifications and fetch results, every few milliseconds. The
 * committed offset is each partition's first unfinished request; the requests finished past it are
 * named in the commit's metadata ({@link PartitionProgress}), so after a crash or a rebalance they
 * are skipped, not republished. A crash repeats at most the unfinished downloads and their S3
 * writes, to the same deterministic keys. The metrics count an outcome once its transaction has
 * committed. A failed transaction or a fenced producer restarts the worker's Kafka clients from the
 * committed offsets; nothing else stops it. The dedupe topology lets at most one fetch per data_id
 * be in flight, so requests can finish in any order.
 */
public final class CacheWorker implements Service {
    private static final Logger log = LoggerFactory.getLogger(CacheWorker.class);
    public static final String GROUP_ID = "millrace-wis2-cache";
    private static final String TOPIC_HEADER = "mqtt.topic";
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final long MAX_RESTART_DELAY_MS = 30_000;

    private final Wis2Settings settings;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final CacheStep step;
    private final CacheStore store;
    private final Wis2Metrics metrics;
    private final Clock clock;
    private final AutoCloseable s3;
    private final ExecutorService downloads;
    private final int maxInFlight;
    private final Thread thread;
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("wis2-cache-expiry"));
    private volatile boolean running = true;
    private volatile String problem = "starting";
    private volatile Consumer<byte[], byte[]> current;

    /** The cache step against the configured Kafka, storing in {@code s3}, which it closes. */
    public CacheWorker(
            KafkaSettings kafka, Wis2Settings settings, S3Client s3, MeterRegistry registry) {
        this(
                settings,
                () -> consumer(kafka, settings),
                () -> producer(kafka),
                s3,
                registry,
                Clock.systemUTC());
    }

    private CacheWorker(
            Wis2Settings settings,
            Supplier<Consumer<byte[], byte[]>> consumers,
            Supplier<Producer<byte[], byte[]>> producers,
            S3Client s3,
            MeterRegistry registry,
            Clock clock) {
        this(
                settings,
                consumers,
                producers,
                new CacheStep(
                        settings.centreId(),
                        settings.cacheBaseUrl(),
                        settings.fetchMaxBytes(),
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
     * The cache step with its Kafka clients (a new pair after each restart), its decisions (and
     * through them its downloader and object store), the store it serves and expires, and its clock
     * given.
     */
    CacheWorker(
            Wis2Settings settings,
            Supplier<Consumer<byte[], byte[]>> consumers,
            Supplier<Producer<byte[], byte[]>> producers,
            CacheStep step,
            CacheStore store,
            MeterRegistry registry,
            Clock clock,
            AutoCloseable s3) {
        this.settings = settings;
        this.consumers = consumers;
        this.producers = producers;
        this.store = store;
        this.clock = clock;
        this.s3 = s3;
        this.step = step;
        this.metrics = new Wis2Metrics(registry, settings.centreId(), settings.metricsCentres());
        this.downloads =
                Executors.newFixedThreadPool(
                        settings.fetchConcurrency(), DaemonThreads.named("wis2-download"));
        this.maxInFlight = settings.fetchConcurrency() * 4;
        this.thread = new Thread(this::run, "wis2-cache-worker");
    }

    private static Consumer<byte[], byte[]> consumer(KafkaSettings kafka, Wis2Settings settings) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        kafka.groupInstanceId(GROUP_ID)
                .ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
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
        props.put(
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG,
                KafkaSettings.TRANSACTIONAL_RETRY_BACKOFF_MS);
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

    /** Runs sessions until closed: a failed one is logged and its clients replaced. */
    private void run() {
        long delayMs = 500;
        while (running) {
            try {
                session();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (WakeupException e) {
                if (!running) {
                    return;
                }
                problem = "woken up unexpectedly; restarting";
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                problem = "restarting after: " + e;
                log.error(
                        "wis2 cache worker failed, restarting in {} ms: {}", delayMs, e.toString());
            }
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delayMs = Math.min(MAX_RESTART_DELAY_MS, delayMs * 2);
        }
    }

    /** One pair of Kafka clients, from the committed offsets until closed or failed. */
    private void session() throws InterruptedException {
        try (Consumer<byte[], byte[]> consumer = consumers.get();
                Producer<byte[], byte[]> producer = producers.get()) {
            current = consumer;
            if (!running) {
                return;
            }
            Session session = new Session(consumer, producer);
            producer.initTransactions();
            consumer.subscribe(List.of(TopicCatalog.WIS2_FETCH_REQUESTS.name()), session);
            problem = null;
            while (running) {
                session.step();
            }
        }
    }

    /** A request that finished, with what it publishes and what it counts once committed. */
    private record Finished(
            TopicPartition partition,
            long offset,
            PartitionProgress progress,
            List<ProducerRecord<byte[], byte[]>> outputs,
            CacheStep.Outcome outcome,
            long epochSecond) {}

    /** The in-flight requests and partition progress of one pair of clients. */
    final class Session implements ConsumerRebalanceListener {
        private final Consumer<byte[], byte[]> consumer;
        private final Producer<byte[], byte[]> producer;
        private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
        private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        private int inFlight;

        Session(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
            this.consumer = consumer;
            this.producer = producer;
        }

        /** Polls (unless enough is in flight), starts new requests, commits finished ones. */
        void step() throws InterruptedException {
            Set<TopicPartition> assigned = consumer.assignment();
            if (inFlight >= maxInFlight) {
                consumer.pause(assigned);
            } else if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            ConsumerRecords<byte[], byte[]> records =
                    consumer.poll(inFlight == 0 ? IDLE_POLL : BUSY_POLL);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                PartitionProgress at = progress.get(partition);
                if (at != null && at.start(record.offset())) {
                    inFlight++;
                    downloads.execute(() -> finished.add(handle(partition, at, record)));
                }
            }
            commitFinished();
        }

        /** Commits every finished request in one transaction, then counts their outcomes. */
        void commitFinished() {
            List<Finished> batch = new ArrayList<>();
            finished.drainTo(batch);
            if (batch.isEmpty()) {
                return;
            }
            inFlight -= batch.size();
            Map<TopicPartition, PartitionProgress> touched = new HashMap<>();
            List<Finished> committed = new ArrayList<>();
            for (Finished done : batch) {
                // Work of a partition revoked meanwhile is redone by its new owner.
                if (progress.get(done.partition()) == done.progress()) {
                    done.progress().finish(done.offset());
                    touched.put(done.partition(), done.progress());
                    committed.add(done);
                }
            }
            if (committed.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            touched.forEach((partition, at) -> offsets.put(partition, at.commitPoint()));
            producer.beginTransaction();
            try {
                committed.forEach(done -> done.outputs().forEach(producer::send));
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            } catch (RuntimeException e) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException abort) {
                    e.addSuppressed(abort);
                }
                throw e;
            }
            for (Finished done : committed) {
                if (done.outcome() != null) {
                    metrics.count(done.outcome(), done.epochSecond());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed =
                    consumer.committed(new HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                progress.put(
                        partition,
                        PartitionProgress.resume(
                                offset, offset == null ? consumer.position(partition) : 0));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitFinished();
            partitions.forEach(progress::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(progress::remove);
        }
    }

    /** Runs one request; a failure of the step itself settles the request as not cached. */
    private Finished handle(
            TopicPartition partition, PartitionProgress at, ConsumerRecord<byte[], byte[]> record) {
        try {
            List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>();
            CacheStep.Outcome outcome = handle(record, outputs);
            return new Finished(
                    partition, record.offset(), at, outputs, outcome, step.epochSecond());
        } catch (InterruptedException e) {
            // Closing: the request is redone from the committed offset.
            Thread.currentThread().interrupt();
            return new Finished(partition, record.offset(), null, List.of(), null, 0);
        } catch (RuntimeException e) {
            log.error("the cache step failed on {}@{}", partition, record.offset(), e);
            List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>(unsettled(record, e));
            outputs.add(deadLetter(record, e));
            return new Finished(partition, record.offset(), at, outputs, null, 0);
        }
    }

    /** A fetch result that leaves the pair open, so that the ledger tries the next copy. */
    private static List<ProducerRecord<byte[], byte[]>> unsettled(
            ConsumerRecord<byte[], byte[]> record, RuntimeException cause) {
        try {
            Notification notification = Notification.parse(record.value());
            FetchResult result =
                    new FetchResult(
                            notification.id(),
                            notification.pubtime(),
                            false,
                            "the cache step failed: " + cause);
            return List.of(
                    new ProducerRecord<>(
                            TopicCatalog.WIS2_FETCH_RESULTS.name(), record.key(), result.toJson()));
        } catch (RuntimeException unreadable) {
            return List.of();
        }
    }

    /** One fetch request: its outcome, and what it publishes into {@code out}. */
    private CacheStep.Outcome handle(
            ConsumerRecord<byte[], byte[]> record, List<ProducerRecord<byte[], byte[]>> out)
            throws InterruptedException {
        var header = record.headers().lastHeader(TOPIC_HEADER);
        String topic = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        Notification notification = Notification.parse(record.value());
        CacheStep.Outcome outcome = step.handle(topic, notification);
        if (outcome.failure() != null) {
            log.warn(
                    "not cached {} ({}): {}",
                    notification.id(),
                    notification.dataId(),
                    outcome.failure());
            out.add(deadLetter(record, new CacheStep.FetchException(outcome.failure())));
        }
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
        return outcome;
    }

    /**
     * A request the cache could not serve, as a dead letter with its reason and its own headers
     * (the upstream topic among them), so that {@code millrace dlq wis2 --redrive} can run it again
     * once the cause is gone: the data server back, the object store reachable.
     */
    private static ProducerRecord<byte[], byte[]> deadLetter(
            ConsumerRecord<byte[], byte[]> record, Exception error) {
        return new ProducerRecord<>(
                TopicCatalog.WIS2_DLQ.name(),
                null,
                record.timestamp() < 0 ? null : record.timestamp(),
                record.key(),
                record.value(),
                DeadLetters.headers(
                        record.headers(),
                        error,
                        record.topic(),
                        record.partition(),
                        record.offset()));
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
        Consumer<byte[], byte[]> consumer = current;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        downloads.shutdownNow();
        sweeper.shutdownNow();
        try {
            s3.close();
        } catch (Exception e) {
            log.warn("closing the S3 client failed: {}", e.getMessage());
        }
    }
}
