package dev.millrace.connect.s3.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotated batches: the records of each partition are appended to an open batch, closed by record
 * count, size or record time, and uploaded within the put that closes it. Batches close only on
 * what the records say, never on the wall clock, so an idle partition's last batch waits for the
 * partition's next record, and {@link #committable} never lets Connect commit past the first record
 * not yet in an uploaded object. Keys come from the first record of a batch, so a replay rebuilds
 * and overwrites the same objects.
 */
public final class BatchMode implements ArchiveMode {
    private static final Logger log = LoggerFactory.getLogger(BatchMode.class);

    /** Where and how batches are written. */
    public record Target(
            String bucket,
            KeyTemplate keys,
            ContentSource content,
            BatchLimits limits,
            String contentType) {}

    private final Target target;
    private final ArchiveParts parts;
    private final Map<TopicPartition, OpenPartition> partitions = new HashMap<>();

    public BatchMode(Target target, ArchiveParts parts) {
        this.target = target;
        this.parts = parts;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            RecordView view = new RecordView(record);
            OpenPartition partition =
                    partitions.computeIfAbsent(
                            new TopicPartition(view.topic(), view.partition()),
                            tp -> new OpenPartition(new PartitionBatch(target.limits())));
            if (view.offset() < partition.nextOffset) {
                // Taken in by an attempt that failed; its batch is still open or waiting to upload.
                continue;
            }
            partition.nextOffset = view.offset() + 1;
            try {
                append(partition.batch, partition.closed, view);
            } catch (UnwritableRecordException e) {
                Archival errant = Archival.errant(view, e.getMessage());
                parts.salvage().requireHandling(errant);
                partition.errant.add(errant);
            }
        }
        uploadClosed();
    }

    private void append(PartitionBatch batch, List<PartitionBatch.Closed> closed, RecordView record)
            throws UnwritableRecordException {
        byte[] content = target.content().extract(record);
        if (batch.isEmpty() || batch.rotatesBefore(record.timestamp(), content.length)) {
            // Rendered before rotating, so a record that cannot start a batch does not end one.
            String key = target.keys().render(record);
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

    private void uploadClosed() {
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
                        parts.salvage().salvage(archival);
                        return null;
                    });
        }
        parts.writers().runAll(work);
        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
        if (parts.completions().on()) {
            for (Upload upload : uploads) {
                messages.add(upload.completion());
            }
        }
        messages.addAll(parts.completions().of(errant));
        parts.completions().send(messages);
        parts.salvage().report(errant);
        for (OpenPartition partition : partitions.values()) {
            partition.closed.clear();
            partition.errant.clear();
        }
    }

    /**
     * The offset of the first record of each partition that is not yet in an uploaded object (nor
     * salvaged and reported): a replay from there rebuilds the open batch exactly.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> committable(
            Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : current.entrySet()) {
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
        for (TopicPartition partition : revoked) {
            partitions.remove(partition);
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
            return new S3Location(target.bucket(), batch.key());
        }

        void upload() {
            parts.store().put(location(), batch.bytes(), target.contentType());
            at = parts.clock().instant();
            log.info(
                    "Archived {} records of {} from offset {} to {} ({} bytes)",
                    batch.records(),
                    partition,
                    batch.startOffset(),
                    location(),
                    batch.bytes().length);
        }

        ProducerRecord<byte[], byte[]> completion() {
            return parts.completions()
                    .message(
                            partition.partition(),
                            null,
                            at,
                            ArchiveMessages.archivedBatch(
                                    partition.topic(),
                                    partition.partition(),
                                    batch.startOffset(),
                                    batch.records(),
                                    location(),
                                    batch.bytes().length,
                                    at));
        }
    }
}
