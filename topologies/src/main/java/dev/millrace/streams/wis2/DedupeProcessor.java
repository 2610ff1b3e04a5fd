package dev.millrace.streams.wis2;

import dev.millrace.schemas.JsonValidator;
import dev.millrace.schemas.Schemas;
import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.streams.internal.TaskSensors;
import dev.millrace.wis2.DataIdLedger;
import dev.millrace.wis2.InvalidNotificationException;
import dev.millrace.wis2.Notification;
import dev.millrace.wis2.SeenIds;
import dev.millrace.wis2.Wis2Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each incoming notification: ignored (recommended data), dead-lettered (not a valid WNM),
 * dropped as a copy (id seen, our own republication, or the data id's ledger says so), or passed on
 * as a fetch request or a republished cache=false copy.
 */
final class DedupeProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(DedupeProcessor.class);
    private static final JsonValidator SCHEMA = Schemas.get("wis2/notification");
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final SeenIds seenIds;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, Long> seen;
    private KeyValueStore<String, byte[]> ledgers;
    private LedgerActions actions;
    private Sensor duplicates;
    private Sensor ignored;

    DedupeProcessor(SeenIds seenIds) {
        this.seenIds = seenIds;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.seen = context.getStateStore(Wis2Topology.SEEN_STORE);
        this.ledgers = context.getStateStore(Wis2Topology.LEDGER_STORE);
        this.actions = new LedgerActions(context);
        duplicates = TaskSensors.rateTotal(context, "wis2", "duplicate-dropped");
        ignored = TaskSensors.rateTotal(context, "wis2", "recommended-ignored");
        // Stream time, not the wall clock: a replay expires exactly what the first run expired.
        context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = header(record, Wis2Topology.TOPIC_HEADER);
        if (topic == null) {
            deadLetter(
                    record,
                    "no " + Wis2Topology.TOPIC_HEADER + " header: the MQTT topic is unknown");
            return;
        }
        if (Wis2Topics.isRecommended(topic)) {
            ignored.record();
            return;
        }
        Notification notification;
        try {
            notification = Notification.parse(record.value());
        } catch (InvalidNotificationException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        List<String> violations = SCHEMA.validate(notification.asJson());
        if (!violations.isEmpty()) {
            deadLetter(record, "not a valid WIS2 notification: " + String.join("; ", violations));
            return;
        }
        Instant now = Instant.ofEpochMilli(record.timestamp());
        Long seenAt = seen.get(notification.id());
        Optional<String> copy =
                seenIds.dropReason(
                        notification, seenAt == null ? null : Instant.ofEpochMilli(seenAt), now);
        if (copy.isPresent()) {
            duplicates.record();
            log.debug("dropped {}: {}", notification.id(), copy.get());
            return;
        }
        seen.put(notification.id(), record.timestamp());

        byte[] stored = ledgers.get(notification.dataId());
        DataIdLedger ledger =
                stored == null ? new DataIdLedger() : LedgerEntry.decode(stored).ledger();
        DataIdLedger.Verdict verdict = ledger.offer(notification, now);
        ledgers.put(notification.dataId(), new LedgerEntry(topic, ledger).encode());
        if (verdict.dropped()) {
            duplicates.record();
        }
        actions.carryOut(
                verdict,
                notification,
                topic,
                notification.dataId().getBytes(StandardCharsets.UTF_8),
                record.timestamp());
    }

    /** Forgets ids and idle data ids older than the retention, in stream time. */
    private void purge(long streamTime) {
        Instant horizon = Instant.ofEpochMilli(streamTime).minus(seenIds.retention());
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < horizon.toEpochMilli()) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = ledgers.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (LedgerEntry.decode(entry.value).ledger().idleSince(horizon)) {
                    idle.add(entry.key);
                }
            }
        }
        idle.forEach(ledgers::delete);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
        context.forward(
                DeadLetters.branch(log, context, record, new InvalidNotificationException(reason)),
                Wis2Topology.DEAD_LETTER_SINK);
    }

    static String header(Record<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        context.metrics().removeSensor(duplicates);
        context.metrics().removeSensor(ignored);
    }
}
