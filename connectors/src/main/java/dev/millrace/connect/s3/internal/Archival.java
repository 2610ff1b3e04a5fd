package dev.millrace.connect.s3.internal;

import java.time.Instant;

/** One record's way to S3 and what became of it. */
public final class Archival {
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

    /** A record that cannot be archived, for the reason given. */
    static Archival errant(RecordView record, String reason) {
        Archival archival = new Archival(record);
        archival.reason = reason;
        return archival;
    }

    boolean errant() {
        return reason != null;
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
