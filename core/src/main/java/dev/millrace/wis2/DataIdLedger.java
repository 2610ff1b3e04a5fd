package dev.millrace.wis2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Global Cache knows of one {@code data_id}, and its rules (WIS2 Guide §2.7.4, WMO Global
 * Cache functional tests):
 *
 * <ul>
 *   <li>a ({@code data_id}, {@code pubtime}) pair is processed once; an equal or earlier pubtime is
 *       dropped; a later one only with an {@code update} or {@code deletion} link;
 *   <li>a pair counts as processed only once its data is cached (or, with {@code cache: false},
 *       republished): copies that arrive while one is being fetched wait, and if the fetch fails
 *       the next copy is tried, so a failed copy never blocks a good one.
 * </ul>
 *
 * <p>Not thread-safe: one data id is handled by one thread at a time.
 */
public final class DataIdLedger {
    /** Copies kept waiting for a fetch in flight; beyond that a copy is dropped as a duplicate. */
    public static final int MAX_WAITING = 16;

    /** What to do with a notification. */
    public enum Verdict {
        /** Fetch its data; {@link #settle} tells the ledger how it went. */
        FETCH,
        /** {@code cache: false}: republish it at once; the pair is processed. */
        REPUBLISH,
        /** A fetch for this data id is in flight: the copy waits for its outcome. */
        WAIT,
        DROP_NOT_NEWER,
        DROP_NO_UPDATE_LINK,
        DROP_TOO_MANY_WAITING;

        public boolean dropped() {
            return name().startsWith("DROP");
        }
    }

    /** A notification with the verdict it was given. */
    public record Decision(Notification notification, Verdict verdict) {}

    private Instant processed;
    private Instant inFlight;
    private List<Notification> waiting = new ArrayList<>();
    private Instant touched;

    public DataIdLedger() {}

    /** A ledger as stored: see {@link #processed()}, {@link #inFlight()}, {@link #waiting()}. */
    public DataIdLedger(
            Instant processed, Instant inFlight, List<Notification> waiting, Instant touched) {
        this.processed = processed;
        this.inFlight = inFlight;
        this.waiting = new ArrayList<>(waiting);
        this.touched = touched;
    }

    /** Judges a notification of this data id that arrived at {@code now}. */
    public Verdict offer(Notification notification, Instant now) {
        touched = now;
        if (processed != null) {
            if (!notification.pubtime().isAfter(processed)) {
                return Verdict.DROP_NOT_NEWER;
            }
            if (!notification.hasLink("update") && !notification.hasLink("deletion")) {
                return Verdict.DROP_NO_UPDATE_LINK;
            }
        }
        if (inFlight != null) {
            if (waiting.size() >= MAX_WAITING) {
                return Verdict.DROP_TOO_MANY_WAITING;
            }
            waiting.add(notification);
            return Verdict.WAIT;
        }
        if (!notification.cache()) {
            processed = notification.pubtime();
            return Verdict.REPUBLISH;
        }
        inFlight = notification.pubtime();
        return Verdict.FETCH;
    }

    /**
     * Records the outcome of the fetch in flight and judges the copies that waited for it, in the
     * order they arrived: after a success they are duplicates, after a failure the first one is
     * fetched next.
     *
     * @throws IllegalStateException when no fetch is in flight
     */
    public List<Decision> settle(boolean cached, Instant now) {
        if (inFlight == null) {
            throw new IllegalStateException("no fetch in flight");
        }
        if (cached) {
            processed = processed == null || inFlight.isAfter(processed) ? inFlight : processed;
        }
        inFlight = null;
        List<Notification> queued = waiting;
        waiting = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>(queued.size());
        for (Notification copy : queued) {
            decisions.add(new Decision(copy, offer(copy, now)));
        }
        touched = now;
        return decisions;
    }

    /** Whether the ledger was last used before {@code horizon} and holds nothing in flight. */
    public boolean idleSince(Instant horizon) {
        return inFlight == null && touched != null && touched.isBefore(horizon);
    }

    /** The pubtime of the last pair processed, or null. */
    public Instant processed() {
        return processed;
    }

    /** The pubtime being fetched, or null. */
    public Instant inFlight() {
        return inFlight;
    }

    public List<Notification> waiting() {
        return List.copyOf(waiting);
    }

    public Instant touched() {
        return touched;
    }
}
