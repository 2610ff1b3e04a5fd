package dev.millrace.connect.s3.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a record that cannot be archived: it is kept whole in {@code salvage.bucket}
 * (when set) and reported to the errant record reporter, the connector's dead-letter queue (when
 * Connect has one); with neither, the task fails rather than lose it.
 */
public final class Salvage {
    private static final Logger log = LoggerFactory.getLogger(Salvage.class);
    private static final String CONTENT_TYPE = "application/json";

    private final String bucket;
    private final ObjectStore store;
    private final ErrantRecordReporter reporter;
    private final Clock clock;

    /**
     * @param bucket where errant records are kept, or null
     * @param reporter the errant record reporter, or null
     */
    public Salvage(String bucket, ObjectStore store, ErrantRecordReporter reporter, Clock clock) {
        this.bucket = bucket;
        this.store = store;
        this.reporter = reporter;
        this.clock = clock;
    }

    /** Fails the task when an errant record would have nowhere to go. */
    void requireHandling(Archival archival) {
        if (reporter == null && bucket == null) {
            throw new ConnectException(
                    "Cannot archive record "
                            + archival.record.position()
                            + ": "
                            + archival.reason
                            + " (set salvage.bucket or errors.tolerance=all with a dead-letter"
                            + " queue to keep going)");
        }
    }

    /** Writes the errant record whole, as an envelope at {@code <topic>/<partition>/<offset>}. */
    void salvage(Archival archival) {
        if (bucket == null) {
            return;
        }
        RecordView record = archival.record;
        byte[] envelope = ArchiveMessages.envelope(record, archival.reason);
        S3Location location =
                new S3Location(
                        bucket,
                        record.topic()
                                + "/"
                                + record.partition()
                                + "/"
                                + KeyTemplate.padded(record.offset()));
        archival.size = store.put(location, envelope, CONTENT_TYPE);
        archival.salvagedAt = location;
        archival.at = clock.instant();
        log.warn("Salvaged {} to {}: {}", record.position(), location, archival.reason);
    }

    /** Reports each errant record to the dead-letter queue and waits until it is written. */
    void report(List<Archival> archivals) {
        if (reporter == null) {
            return;
        }
        List<Future<Void>> reported = new ArrayList<>();
        for (Archival archival : archivals) {
            if (archival.errant()) {
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
            throw new SinkFailure("report errant records", reported.size(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting errant records", e);
        }
    }
}
