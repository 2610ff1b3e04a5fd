package dev.millrace.connect.s3;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.config.S3Clients;
import dev.millrace.connect.internal.Backoff;
import dev.millrace.connect.internal.ErrantRecords;
import dev.millrace.connect.internal.Version;
import dev.millrace.connect.s3.internal.ArchiveMessages;
import dev.millrace.connect.s3.internal.ClaimCheck;
import dev.millrace.connect.s3.internal.ContentSource;
import dev.millrace.connect.s3.internal.KeyTemplate;
import dev.millrace.connect.s3.internal.ObjectStore;
import dev.millrace.connect.s3.internal.PartitionBatch;
import dev.millrace.connect.s3.internal.RecordView;
import dev.millrace.connect.s3.internal.S3Failures;
import dev.millrace.connect.s3.internal.S3Location;
import dev.millrace.connect.s3.internal.UnwritableRecordException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Archives Kafka records in S3, at least once.
 *
 * <p>Record mode: {@link #put} writes one object per record, up to {@code s3.put.concurrency} at
 * once (records sharing a key are written in offset order), sends their completion messages and
 * flushes the completion producer, and only then returns; the offsets Connect commits afterwards
 * never cover a record without its object and completion. Batch mode: the records of each partition
 * are appended to an open batch, closed by record count, size or record time, and uploaded within
 * the {@code put} that closes it; {@link #preCommit} never lets Connect commit past the first
 * record not yet in an uploaded object. Batches close only on what the records say, never on the
 * wall clock, so an idle partition's last batch waits for the partition's next record. Either way
 * keys depend only on the records, so a redelivery overwrites the same objects.
 *
 * <p>A transient S3 or completion failure throws {@link RetriableException} after asking Connect to
 * wait a doubling backoff, and Connect redelivers the whole batch. A record that cannot be archived
 * because of its content is salvaged whole to {@code salvage.bucket} and reported to the errant
 * record reporter (the connector's dead-letter queue); with neither, it fails the task.
 */
public class S3SinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(S3SinkTask.class);

    private static final long RETRY_BACKOFF_MS = 500;
    private static final long RETRY_BACKOFF_MAX_MS = 30_000;
    private static final String SALVAGE_CONTENT_TYPE = "application/json";
    private static final AtomicInteger TASKS = new AtomicInteger();

    private final S3Client givenS3;
    private final Producer<byte[], byte[]> givenCompletions;
    private final Clock clock;

    private S3SinkConnectorConfig config;
    private S3Client s3;
    private ObjectStore store;
    private KeyTemplate keyTemplate;
    private ContentSource contentSource;
    private ClaimCheck claimCheck;
    private Optional<JsonPointer> contentTypePointer;
    private String salvageBucket;
    private String completionTopic;
    private Producer<byte[], byte[]> completions;
    private ErrantRecordReporter reporter;
    private ExecutorService writers;
    private Backoff backoff;
    private final Map<TopicPartition, OpenPartition> partitions = new HashMap<>();

    public S3SinkTask() {
        this(null, null, Clock.systemUTC());
    }

    /**
     * @param s3 the client to write with, which the task does not close
     * @param completions the completion producer, which the task does not close; null to build one
     *     from the config when {@code completion.topic} is set
     */
    S3SinkTask(S3Client s3, Producer<byte[], byte[]> completions, Clock clock) {
        this.givenS3 = s3;
        this.givenCompletions = completions;
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new S3SinkConnectorConfig(props);
        keyTemplate = config.keyTemplate();
        contentSource = config.contentSource();
        claimCheck = config.claimCheck().orElse(null);
        contentTypePointer = config.contentTypePointer();
        salvageBucket = config.salvageBucket().orElse(null);
        completionTopic = config.completionTopic().orElse(null);
        s3 = givenS3 != null ? givenS3 : S3Clients.create(config.s3());
        store = new ObjectStore(s3);
        if (completionTopic != null) {
            completions =
                    givenCompletions != null
                            ? givenCompletions
                            : new KafkaProducer<>(
                                    config.completionProducerConfig(),
                                    new ByteArraySerializer(),
                                    new ByteArraySerializer());
        }
        reporter = ErrantRecords.reporter(context);
        backoff = new Backoff(RETRY_BACKOFF_MS, RETRY_BACKOFF_MAX_MS);
        int task = TASKS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        writers =
                Executors.newFixedThreadPool(
                        config.putConcurrency(),
                        runnable -> {
                            Thread t =
                                    new Thread(
                                            runnable,
                                            "s3-sink-"
                                                    + task
                                                    + "-writer-"
                                                    + thread.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        log.info(
                "Archiving to s3://{} in {} mode at keys {}; completions {}; salvage {}",
                config.bucket(),
                config.batchMode() ? "batch" : "record",
                keyTemplate,
                completionTopic == null ? "off" : "on " + completionTopic,
                salvageBucket == null ? "off" : "to s3://" + salvageBucket);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            if (config.batchMode()) {
                putBatches(records);
            } else {
                putRecords(records);
            }
        } catch (SdkException e) {
            throw failure("write to S3", records.size(), e);
        }
        backoff.reset();
    }

    // ---- record mode

    private void putRecords(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Archival> archivals = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            Archival archival = plan(new RecordView(record));
            if (archival.reason != null) {
                requireErrantHandling(archival);
            }
            archivals.add(archival);
        }
        // Records sharing a key are written in offset order by one job, so the last one wins, as it
        // would without concurrency.
        Map<String, List<Archival>> jobs = new LinkedHashMap<>();
        for (Archival archival : archivals) {
            String job =
                    archival.reason != null
                            ? "errant " + archival.record.position()
                            : archival.destination.key();
            jobs.computeIfAbsent(job, k -> new ArrayList<>()).add(archival);
        }
        List<Callable<Void>> work = new ArrayList<>(jobs.size());
        for (List<Archival> job : jobs.values()) {
            work.add(
                    () -> {
                        for (Archival archival : job) {
                            archive(archival);
                        }
                        return null;
                    });
        }
        runAll(work);
        for (Archival archival : archivals) {
            if (archival.reason != null) {
                requireErrantHandling(archival);
            }
        }
        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
        addCompletions(messages, archivals);
        sendCompletions(messages);
        report(archivals);
        log.debug("Archived {} records", archivals.size());
    }

    private Archival plan(RecordView record) {
        Archival archival = new Archival(record);
        try {
            archival.destination = new S3Location(config.bucket(), keyTemplate.render(record));
            archival.contentType = contentType(record);
            Optional<S3Location> staged =
                    claimCheck == null ? Optional.empty() : claimCheck.find(record);
            if (staged.isPresent()) {
                archival.claimCheck = staged.get();
            } else {
                archival.content = contentSource.extract(record);
            }
        } catch (UnwritableRecordException e) {
            archival.reason = e.getMessage();
        }
        return archival;
    }

    private String contentType(RecordView record) {
        if (contentTypePointer.isEmpty()) {
            return config.contentType();
        }
        try {
            JsonNode node = record.nodeAt(contentTypePointer.get());
            if (node != null && node.isTextual() && !node.textValue().isBlank()) {
                return node.textValue();
            }
        } catch (UnwritableRecordException e) {
            // The content decides whether the record is errant; a type falls back to the default.
        }
        return config.contentType();
    }

    private void archive(Archival archival) {
        if (archival.reason == null) {
            try {
                archival.size =
                        archival.claimCheck != null
                                ? store.copy(
                                        archival.claimCheck,
                                        archival.destination,
                                        archival.contentType,
                                        config.deleteClaimChecks())
                                : store.put(
                                        archival.destination,
                                        archival.content,
                                        archival.contentType);
                archival.writtenAt = archival.destination;
                archival.at = clock.instant();
                return;
            } catch (UnwritableRecordException e) {
                archival.reason = e.getMessage();
            }
        }
        salvage(archival);
    }

    // ---- batch mode

    private void putBatches(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            RecordView view = new RecordView(record);
            OpenPartition partition =
                    partitions.computeIfAbsent(
                            new TopicPartition(view.topic(), view.partition()),
                            tp -> new OpenPartition(new PartitionBatch(config.batchLimits())));
            if (view.offset() < partition.nextOffset) {
                // Taken in by an attempt that failed; its batch is still open or waiting to upload.
                continue;
            }
            partition.nextOffset = view.offset() + 1;
            try {
                append(partition.batch, partition.closed, view);
            } catch (UnwritableRecordException e) {
                Archival errant = new Archival(view);
                errant.reason = e.getMessage();
                requireErrantHandling(errant);
                partition.errant.add(errant);
            }
        }
        uploadClosedBatches();
    }

    private void append(PartitionBatch batch, List<PartitionBatch.Closed> closed, RecordView record)
            throws UnwritableRecordException {
        byte[] content = contentSource.extract(record);
        if (batch.isEmpty() || batch.rotatesBefore(record.timestamp(), content.length)) {
            // Rendered before rotating, so a record that cannot start a batch does not end one.
            String key = keyTemplate.render(record);
            if (!batch.isEmpty()) {
                closed.add(batch.close());
            }
            batch.start(key, record.offset(), record.timestamp());
        }
        batch.add(record.offset(), content);
        if (batch.isFull()) {
            closed.add(batch.close());
        }
    }

    private void uploadClosedBatches() {
        List<Upload> uploads = new ArrayList<>();
        List<Archival> errant = new ArrayList<>();
        for (Map.Entry<TopicPartition, OpenPartition> entry : partitions.entrySet()) {
            for (PartitionBatch.Closed batch : entry.getValue().closed) {
                uploads.add(new Upload(entry.getKey(), batch));
            }
            errant.addAll(entry.getValue().errant);
        }
        if (uploads.isEmpty() && errant.isEmpty()) {
            return;
        }
        List<Callable<Void>> work = new ArrayList<>();
        for (Upload upload : uploads) {
            work.add(
                    () -> {
                        upload.upload();
                        return null;
                    });
        }
        for (Archival archival : errant) {
            work.add(
                    () -> {
                        salvage(archival);
                        return null;
                    });
        }
        runAll(work);
        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
        for (Upload upload : completions == null ? List.<Upload>of() : uploads) {
            messages.add(
                    completion(
                            upload.partition.partition(),
                            null,
                            upload.at,
                            ArchiveMessages.archivedBatch(
                                    upload.partition.topic(),
                                    upload.partition.partition(),
                                    upload.batch.startOffset(),
                                    upload.batch.records(),
                                    upload.location(),
                                    upload.batch.bytes().length,
                                    upload.at)));
        }
        addCompletions(messages, errant);
        sendCompletions(messages);
        report(errant);
        for (OpenPartition partition : partitions.values()) {
            partition.closed.clear();
            partition.errant.clear();
        }
    }

    /**
     * In batch mode, the offset of the first record of each partition that is not yet in an
     * uploaded object (nor salvaged and reported): a replay from there rebuilds the open batch
     * exactly.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(
            Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (!config.batchMode()) {
            return super.preCommit(currentOffsets);
        }
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : currentOffsets.entrySet()) {
            OpenPartition partition = partitions.get(entry.getKey());
            Long outstanding = partition == null ? null : partition.firstOutstandingOffset();
            committable.put(
                    entry.getKey(),
                    outstanding == null ? entry.getValue() : new OffsetAndMetadata(outstanding));
        }
        return committable;
    }

    @Override
    public void close(Collection<TopicPartition> revoked) {
        // Whoever gets these partitions next replays them from the committed offset.
        for (TopicPartition partition : revoked) {
            partitions.remove(partition);
        }
    }

    // ---- shared

    private void salvage(Archival archival) {
        if (salvageBucket == null) {
            return;
        }
        RecordView record = archival.record;
        byte[] envelope = ArchiveMessages.envelope(record, archival.reason);
        S3Location location =
                new S3Location(
                        salvageBucket,
                        record.topic()
                                + "/"
                                + record.partition()
                                + "/"
                                + KeyTemplate.padded(record.offset()));
        archival.size = store.put(location, envelope, SALVAGE_CONTENT_TYPE);
        archival.salvagedAt = location;
        archival.at = clock.instant();
        log.warn("Salvaged {} to {}: {}", record.position(), location, archival.reason);
    }

    private void requireErrantHandling(Archival archival) {
        if (reporter == null && salvageBucket == null) {
            throw new ConnectException(
                    "Cannot archive record "
                            + archival.record.position()
                            + ": "
                            + archival.reason
                            + " (set salvage.bucket or errors.tolerance=all with a dead-letter"
                            + " queue to keep going)");
        }
    }

    /** The completion of each archived or salvaged record, when completions are on. */
    private void addCompletions(
            List<ProducerRecord<byte[], byte[]>> messages, List<Archival> archivals) {
        if (completions == null) {
            return;
        }
        for (Archival archival : archivals) {
            byte[] message = archival.completion();
            if (message != null) {
                messages.add(
                        completion(
                                archival.record.partition(),
                                archival.record.keyBytes(),
                                archival.at,
                                message));
            }
        }
    }

    private ProducerRecord<byte[], byte[]> completion(
            int partition, byte[] key, Instant at, byte[] value) {
        // The source's partition number, so completions co-partition with their records.
        return new ProducerRecord<>(completionTopic, partition, at.toEpochMilli(), key, value);
    }

    private void sendCompletions(List<ProducerRecord<byte[], byte[]>> messages) {
        if (completions == null || messages.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
        try {
            for (ProducerRecord<byte[], byte[]> message : messages) {
                sent.add(completions.send(message));
            }
            completions.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw failure("send completions to " + completionTopic, messages.size(), e.getCause());
        } catch (KafkaException e) {
            throw failure("send completions to " + completionTopic, messages.size(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while sending completions", e);
        }
    }

    private void report(List<Archival> archivals) {
        if (reporter == null) {
            return;
        }
        List<Future<Void>> reported = new ArrayList<>();
        for (Archival archival : archivals) {
            if (archival.reason != null) {
                if (archival.salvagedAt == null) {
                    log.warn(
                            "Sending {} to the dead-letter queue: {}",
                            archival.record.position(),
                            archival.reason);
                }
                reported.add(
                        reporter.report(
                                archival.record.record(), new DataException(archival.reason)));
            }
        }
        try {
            for (Future<Void> future : reported) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw failure("report errant records", reported.size(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting errant records", e);
        }
    }

    /** Runs the jobs on the writer threads and waits for all of them, even after a failure. */
    private void runAll(List<Callable<Void>> jobs) {
        List<Future<Void>> running = new ArrayList<>(jobs.size());
        for (Callable<Void> job : jobs) {
            running.add(writers.submit(job));
        }
        SdkException firstFailure = null;
        int failures = 0;
        for (Future<Void> job : running) {
            try {
                job.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SdkException s3Failure) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = s3Failure;
                    }
                } else if (e.getCause() instanceof RuntimeException unexpected) {
                    throw unexpected;
                } else {
                    throw new ConnectException(e.getCause());
                }
            } catch (InterruptedException e) {
                running.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while writing to S3", e);
            }
        }
        if (firstFailure != null) {
            if (failures > 1) {
                firstFailure.addSuppressed(
                        new IllegalStateException(failures - 1 + " more writes failed"));
            }
            throw firstFailure;
        }
    }

    /**
     * A transient failure asks Connect to wait, then to redeliver the batch; anything else stops
     * the task.
     */
    private ConnectException failure(String action, int records, Throwable cause) {
        boolean transientFailure =
                cause instanceof SdkException s3Failure
                        ? S3Failures.isTransient(s3Failure)
                        : !(cause instanceof ConnectException);
        String reason = S3Failures.describe(cause);
        if (!transientFailure) {
            log.error("Cannot {} for {} records: {}", action, records, reason);
            return new ConnectException("Cannot " + action + ": " + reason, cause);
        }
        long delay = backoff.nextDelayMs();
        context.timeout(delay);
        log.warn("Cannot {} for {} records: {}; retrying in {} ms", action, records, reason, delay);
        return new RetriableException(
                "Cannot " + action + ": " + reason + "; retrying the batch in " + delay + " ms",
                cause);
    }

    @Override
    public void stop() {
        if (writers != null) {
            writers.shutdownNow();
        }
        if (completions != null && givenCompletions == null) {
            completions.close(Duration.ofSeconds(30));
        }
        if (s3 != null && givenS3 == null) {
            s3.close();
        }
        partitions.clear();
    }

    /** One record's way to S3 and what became of it. */
    private static final class Archival {
        final RecordView record;
        S3Location destination;
        String contentType;
        byte[] content;
        S3Location claimCheck;
        // Written by one writer thread; read after its Future completed.
        String reason;
        S3Location writtenAt;
        S3Location salvagedAt;
        long size;
        Instant at;

        Archival(RecordView record) {
            this.record = record;
        }

        /** The completion message, or null when the record went nowhere (no salvage bucket). */
        byte[] completion() {
            if (writtenAt != null) {
                return ArchiveMessages.archived(record, writtenAt, size, at);
            }
            if (salvagedAt != null) {
                return ArchiveMessages.salvaged(record, salvagedAt, size, reason, at);
            }
            return null;
        }
    }

    /** What a partition holds that Connect must not commit yet. */
    private static final class OpenPartition {
        final PartitionBatch batch;
        final List<PartitionBatch.Closed> closed = new ArrayList<>();
        final List<Archival> errant = new ArrayList<>();
        long nextOffset = -1;

        OpenPartition(PartitionBatch batch) {
            this.batch = batch;
        }

        Long firstOutstandingOffset() {
            Long first = batch.isEmpty() ? null : batch.startOffset();
            for (PartitionBatch.Closed c : closed) {
                first = first == null ? c.startOffset() : Math.min(first, c.startOffset());
            }
            for (Archival a : errant) {
                first = first == null ? a.record.offset() : Math.min(first, a.record.offset());
            }
            return first;
        }
    }

    /** One closed batch on its way to S3. */
    private final class Upload {
        final TopicPartition partition;
        final PartitionBatch.Closed batch;
        Instant at;

        Upload(TopicPartition partition, PartitionBatch.Closed batch) {
            this.partition = partition;
            this.batch = batch;
        }

        S3Location location() {
            return new S3Location(config.bucket(), batch.key());
        }

        void upload() {
            store.put(location(), batch.bytes(), config.contentType());
            at = clock.instant();
            log.info(
                    "Archived {} records of {} from offset {} to {} ({} bytes)",
                    batch.records(),
                    partition,
                    batch.startOffset(),
                    location(),
                    batch.bytes().length);
        }
    }
}
