package dev.millrace.services.wis2;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Where one input partition stands when its records finish out of order: the offsets polled and
 * still being fetched, and those finished beyond the first unfinished one.
 *
 * <p>The committed offset is the first unfinished record; the offsets finished past it travel in
 * the commit's metadata, in the same transaction as their outputs. After a restart, or on another
 * instance, those records are skipped: a record's outputs are published exactly once, and a slow
 * download never holds back the records behind it.
 */
final class PartitionProgress {
    private static final String PREFIX = "done:";

    /** The offset after the last record polled. */
    private long position;

    private final NavigableSet<Long> inFlight = new TreeSet<>();
    private final NavigableSet<Long> doneAhead = new TreeSet<>();

    private PartitionProgress(long position, List<Long> doneAhead) {
        this.position = position;
        this.doneAhead.addAll(doneAhead);
    }

    /** Progress resumed from a committed offset, or from {@code start} where none is committed. */
    static PartitionProgress resume(OffsetAndMetadata committed, long start) {
        if (committed == null) {
            return new PartitionProgress(start, List.of());
        }
        return new PartitionProgress(
                committed.offset(), decode(committed.offset(), committed.metadata()));
    }

    /**
     * Takes in a polled record: false when it was finished before (its outputs are committed), so
     * it is skipped.
     */
    boolean start(long offset) {
        position = Math.max(position, offset + 1);
        if (doneAhead.contains(offset)) {
            return false;
        }
        inFlight.add(offset);
        return true;
    }

    void finish(long offset) {
        if (inFlight.remove(offset)) {
            doneAhead.add(offset);
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    /** The offset to commit with the offsets finished past it. */
    OffsetAndMetadata commitPoint() {
        long offset = inFlight.isEmpty() ? position : inFlight.first();
        doneAhead.headSet(offset).clear();
        return new OffsetAndMetadata(offset, encode(offset, doneAhead));
    }

    /** Offsets as base-36 steps from the committed one: a few hundred fit Kafka's 4 KiB limit. */
    static String encode(long offset, NavigableSet<Long> done) {
        if (done.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(PREFIX);
        long previous = offset;
        for (long next : done) {
            if (text.length() > PREFIX.length()) {
                text.append(',');
            }
            text.append(Long.toString(next - previous, 36));
            previous = next;
        }
        return text.toString();
    }

    static List<Long> decode(long offset, String metadata) {
        List<Long> done = new ArrayList<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return done;
        }
        long previous = offset;
        for (String step : metadata.substring(PREFIX.length()).split(",")) {
            previous += Long.parseLong(step, 36);
            done.add(previous);
        }
        return done;
    }
}
