package dev.millrace.wis2;

import dev.millrace.schemas.JsonValidator;
import dev.millrace.schemas.Schemas;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Global Cache's deduplication rules (WIS2 Guide §2.7.4), in the order they apply, whatever
 * engine keeps the state: recommended data is ignored; what is not a valid notification is
 * dead-lettered; an id seen within the retention and this cache's own republications are copies;
 * then the data id's ledger decides whether the (data_id, pubtime) pair is fetched, republished,
 * held while another copy is fetched, or dropped. Fetch results settle the ledger.
 */
public final class Wis2Dedupe {
    private static final JsonValidator SCHEMA = Schemas.get("wis2/notification");

    /**
     * How far a pubtime may run ahead of the time its notification arrived. A pair stamped in the
     * future would turn every later, genuine update of its data id into an "earlier pubtime" and
     * drop it until then: one bad clock upstream would freeze the data id.
     */
    public static final Duration MAX_PUBTIME_LEAD = Duration.ofHours(1);

    private final SeenIds seenIds;

    public Wis2Dedupe(String centreId, Duration retention) {
        this.seenIds = new SeenIds(centreId, retention);
    }

    /** Where the engine keeps what the rules remember: ids seen, and one ledger per data id. */
    public interface State {
        /** When the id was last seen, or null. */
        Instant seenAt(String id);

        void seen(String id, Instant at);

        /** The data id's ledger and topic, or null. */
        LedgerEntry ledger(String dataId);

        void ledger(String dataId, LedgerEntry entry);
    }

    /** A notification for the cache step to fetch, or to republish at once (cache=false). */
    public record Request(Notification notification, String topic) {}

    /** What became of a notification. */
    public enum Kind {
        /** Recommended data: not for a Global Cache. */
        IGNORED,
        /** Not a notification: dead-lettered with the reason. */
        INVALID,
        /** A copy of something seen or processed: dropped. */
        DUPLICATE,
        /** Taken in: requests for the cache step, none while another copy is being fetched. */
        ACCEPTED
    }

    /**
     * @param reason why it was invalid or a duplicate, else null
     */
    public record Judgement(Kind kind, String reason, List<Request> requests) {
        static Judgement of(Kind kind, String reason) {
            return new Judgement(kind, reason, List.of());
        }
    }

    /**
     * Judges a notification that arrived on MQTT topic {@code topic} at {@code now} (the time of
     * the record, so that a replay judges alike).
     */
    public Judgement onNotification(String topic, byte[] value, Instant now, State state) {
        if (topic == null) {
            return Judgement.of(Kind.INVALID, "no mqtt.topic header: the MQTT topic is unknown");
        }
        if (Wis2Topics.isRecommended(topic)) {
            return Judgement.of(Kind.IGNORED, null);
        }
        Notification notification;
        try {
            notification = Notification.parse(value);
        } catch (InvalidNotificationException e) {
            return Judgement.of(Kind.INVALID, e.getMessage());
        }
        List<String> violations = SCHEMA.validate(notification.asJson());
        if (!violations.isEmpty()) {
            return Judgement.of(
                    Kind.INVALID,
                    "not a valid WIS2 notification: " + String.join("; ", violations));
        }
        if (notification.pubtime().isAfter(now.plus(MAX_PUBTIME_LEAD))) {
            return Judgement.of(
                    Kind.INVALID,
                    "properties.pubtime "
                            + notification.pubtime()
                            + " is more than "
                            + MAX_PUBTIME_LEAD.toHours()
                            + " h ahead of its arrival at "
                            + now
                            + ": it would hold back every later update of "
                            + notification.dataId());
        }
        Optional<String> copy =
                seenIds.dropReason(notification, state.seenAt(notification.id()), now);
        if (copy.isPresent()) {
            return Judgement.of(Kind.DUPLICATE, copy.get());
        }
        state.seen(notification.id(), now);

        LedgerEntry stored = state.ledger(notification.dataId());
        DataIdLedger ledger = stored == null ? new DataIdLedger() : stored.ledger();
        DataIdLedger.Verdict verdict = ledger.offer(notification, now);
        state.ledger(notification.dataId(), new LedgerEntry(topic, ledger));
        if (verdict.dropped()) {
            return Judgement.of(Kind.DUPLICATE, "pair already processed: " + verdict);
        }
        return new Judgement(
                Kind.ACCEPTED,
                null,
                requests(List.of(new DataIdLedger.Decision(notification, verdict)), topic));
    }

    /**
     * Settles the fetch in flight for {@code dataId}: a success marks the pair processed and its
     * waiting copies duplicates; a failure leaves it open and the next waiting copy is fetched. A
     * result the ledger is not waiting for (a retry's second answer, one that outlived the data
     * id's expiry) changes nothing.
     */
    public List<Request> onFetchResult(
            String dataId, FetchResult result, Instant now, State state) {
        LedgerEntry entry = state.ledger(dataId);
        if (entry == null || !result.pubtime().equals(entry.ledger().inFlight())) {
            return List.of();
        }
        List<DataIdLedger.Decision> decisions = entry.ledger().settle(result.cached(), now);
        state.ledger(dataId, entry);
        return requests(decisions, entry.topic());
    }

    /** Whether a seen id last seen at {@code seenAt} is forgotten at stream time {@code now}. */
    public boolean seenExpired(Instant seenAt, Instant now) {
        return seenAt.isBefore(horizon(now));
    }

    /**
     * Whether a data id's ledger is idle long enough to be forgotten at stream time {@code now}.
     */
    public boolean ledgerExpired(LedgerEntry entry, Instant now) {
        return entry.ledger().idleSince(horizon(now));
    }

    private Instant horizon(Instant now) {
        return now.minus(seenIds.retention());
    }

    /** FETCH and REPUBLISH go to the cache step, the one place that publishes and counts. */
    private static List<Request> requests(List<DataIdLedger.Decision> decisions, String topic) {
        List<Request> requests = new ArrayList<>();
        for (DataIdLedger.Decision decision : decisions) {
            if (decision.verdict() == DataIdLedger.Verdict.FETCH
                    || decision.verdict() == DataIdLedger.Verdict.REPUBLISH) {
                requests.add(new Request(decision.notification(), topic));
            }
        }
        return requests;
    }
}
