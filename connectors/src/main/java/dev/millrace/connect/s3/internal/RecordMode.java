package dev.millrace.connect.s3.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One object per record: its content taken from the record, or copied from its claim check; up to
 * {@code s3.put.concurrency} writes at once, records sharing a key written in offset order by one
 * writer, so the last one wins as it would without concurrency. A put returns once every object and
 * completion is written, so Connect's commit never covers a record without them.
 */
public final class RecordMode implements ArchiveMode {
    private static final Logger log = LoggerFactory.getLogger(RecordMode.class);

    /** Where and how each record is written. */
    public record Target(
            String bucket,
            KeyTemplate keys,
            ContentSource content,
            Optional<ClaimCheck> claimCheck,
            boolean deleteClaimChecks,
            Optional<JsonPointer> contentTypePointer,
            String contentType) {}

    private final Target target;
    private final ArchiveParts parts;

    public RecordMode(Target target, ArchiveParts parts) {
        this.target = target;
        this.parts = parts;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Archival> archivals = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            Archival archival = plan(new RecordView(record));
            if (archival.errant()) {
                parts.salvage().requireHandling(archival);
            }
            archivals.add(archival);
        }
        Map<String, List<Archival>> jobs = new LinkedHashMap<>();
        for (Archival archival : archivals) {
            String job =
                    archival.errant()
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
        parts.writers().runAll(work);
        for (Archival archival : archivals) {
            if (archival.errant()) {
                // A claim check found missing while writing makes a record errant only now.
                parts.salvage().requireHandling(archival);
            }
        }
        parts.completions().send(parts.completions().of(archivals));
        parts.salvage().report(archivals);
        log.debug("Archived {} records", archivals.size());
    }

    private Archival plan(RecordView record) {
        Archival archival = new Archival(record);
        try {
            archival.destination = new S3Location(target.bucket(), target.keys().render(record));
            archival.contentType = contentType(record);
            Optional<S3Location> staged =
                    target.claimCheck().isEmpty()
                            ? Optional.empty()
                            : target.claimCheck().get().find(record);
            if (staged.isPresent()) {
                archival.claimCheck = staged.get();
            } else {
                archival.content = target.content().extract(record);
            }
        } catch (UnwritableRecordException e) {
            archival.reason = e.getMessage();
        }
        return archival;
    }

    private String contentType(RecordView record) {
        if (target.contentTypePointer().isEmpty()) {
            return target.contentType();
        }
        try {
            JsonNode node = record.nodeAt(target.contentTypePointer().get());
            if (node != null && node.isTextual() && !node.textValue().isBlank()) {
                return node.textValue();
            }
        } catch (UnwritableRecordException e) {
            // The content decides whether the record is errant; a type falls back to the default.
        }
        return target.contentType();
    }

    private void archive(Archival archival) {
        if (!archival.errant()) {
            try {
                archival.size =
                        archival.claimCheck != null
                                ? parts.store()
                                        .copy(
                                                archival.claimCheck,
                                                archival.destination,
                                                archival.contentType,
                                                target.deleteClaimChecks())
                                : parts.store()
                                        .put(
                                                archival.destination,
                                                archival.content,
                                                archival.contentType);
                archival.writtenAt = archival.destination;
                archival.at = parts.clock().instant();
                return;
            } catch (UnwritableRecordException e) {
                archival.reason = e.getMessage();
            }
        }
        parts.salvage().salvage(archival);
    }

    /** Every put is written before it returns: Connect may commit what it delivered. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> committable(
            Map<TopicPartition, OffsetAndMetadata> current) {
        return current;
    }

    @Override
    public void close(Collection<TopicPartition> revoked) {}
}
