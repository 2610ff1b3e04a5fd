package dev.millrace.connect.s3;

import dev.millrace.config.S3Clients;
import dev.millrace.connect.internal.Backoff;
import dev.millrace.connect.internal.ErrantRecords;
import dev.millrace.connect.internal.Version;
import dev.millrace.connect.s3.internal.ArchiveMode;
import dev.millrace.connect.s3.internal.ArchiveParts;
import dev.millrace.connect.s3.internal.BatchMode;
import dev.millrace.connect.s3.internal.Completions;
import dev.millrace.connect.s3.internal.ObjectStore;
import dev.millrace.connect.s3.internal.RecordMode;
import dev.millrace.connect.s3.internal.S3Failures;
import dev.millrace.connect.s3.internal.Salvage;
import dev.millrace.connect.s3.internal.SinkFailure;
import dev.millrace.connect.s3.internal.Writers;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
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

    private final S3Client givenS3;
    private final Producer<byte[], byte[]> givenCompletions;
    private final Clock clock;

    private S3Client s3;
    private Producer<byte[], byte[]> completionProducer;
    private Writers writers;
    private ArchiveMode mode;
    private Backoff backoff;

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
        S3SinkConnectorConfig config = new S3SinkConnectorConfig(props);
        String completionTopic = config.completionTopic().orElse(null);
        String salvageBucket = config.salvageBucket().orElse(null);
        s3 = givenS3 != null ? givenS3 : S3Clients.create(config.s3());
        if (completionTopic != null) {
            completionProducer =
                    givenCompletions != null
                            ? givenCompletions
                            : new KafkaProducer<>(
                                    config.completionProducerConfig(),
                                    new ByteArraySerializer(),
                                    new ByteArraySerializer());
        }
        ObjectStore store = new ObjectStore(s3);
        writers = new Writers(config.putConcurrency());
        Salvage salvage = new Salvage(salvageBucket, store, ErrantRecords.reporter(context), clock);
        ArchiveParts parts =
                new ArchiveParts(
                        store,
                        writers,
                        salvage,
                        new Completions(completionTopic, completionProducer),
                        clock);
        mode =
                config.batchMode()
                        ? new BatchMode(
                                new BatchMode.Target(
                                        config.bucket(),
                                        config.keyTemplate(),
                                        config.contentSource(),
                                        config.batchLimits(),
                                        config.contentType()),
                                parts)
                        : new RecordMode(
                                new RecordMode.Target(
                                        config.bucket(),
                                        config.keyTemplate(),
                                        config.contentSource(),
                                        config.claimCheck(),
                                        config.deleteClaimChecks(),
                                        config.contentTypePointer(),
                                        config.contentType()),
                                parts);
        backoff = new Backoff(RETRY_BACKOFF_MS, RETRY_BACKOFF_MAX_MS);
        log.info(
                "Archiving to s3://{} in {} mode at keys {}; completions {}; salvage {}",
                config.bucket(),
                config.batchMode() ? "batch" : "record",
                config.keyTemplate(),
                completionTopic == null ? "off" : "on " + completionTopic,
                salvageBucket == null ? "off" : "to s3://" + salvageBucket);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            mode.put(records);
        } catch (SdkException e) {
            throw failure("write to S3", records.size(), e);
        } catch (SinkFailure e) {
            throw failure(e.action(), e.records(), e.getCause());
        }
        backoff.reset();
    }

    /**
     * In batch mode, the offset of the first record of each partition that is not yet in an
     * uploaded object (nor salvaged and reported): a replay from there rebuilds the open batch
     * exactly.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(
            Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return mode.committable(super.preCommit(currentOffsets));
    }

    @Override
    public void close(Collection<TopicPartition> revoked) {
        // Whoever gets these partitions next replays them from the committed offset.
        mode.close(revoked);
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
            writers.close();
        }
        if (completionProducer != null && givenCompletions == null) {
            completionProducer.close(Duration.ofSeconds(30));
        }
        if (s3 != null && givenS3 == null) {
            s3.close();
        }
    }
}
