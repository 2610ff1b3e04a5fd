package dev.millrace.streams.wis2;

import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.streams.internal.TaskSensors;
import dev.millrace.wis2.InvalidNotificationException;
import dev.millrace.wis2.LedgerEntry;
import dev.millrace.wis2.Wis2Dedupe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link Wis2Dedupe}'s judgement of each incoming notification: ignored, dead-lettered
 * (an explicit branch), dropped as a copy, or passed on as fetch requests. The rules and their
 * order live in the core; this keeps their state in the stores and expires it in stream time.
 */
final class DedupeProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(DedupeProcessor.class);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Wis2Dedupe dedupe;
    private ProcessorContext<byte[], byte[]> context;
    private StoreState state;
    private Sensor duplicates;
    private Sensor ignored;

    DedupeProcessor(Wis2Dedupe dedupe) {
        this.dedupe = dedupe;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.state = new StoreState(context);
        duplicates = TaskSensors.rateTotal(context, "wis2", "duplicate-dropped");
        ignored = TaskSensors.rateTotal(context, "wis2", "recommended-ignored");
        // Stream time, not the wall clock: a replay expires exactly what the first run expired.
        context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Wis2Dedupe.Judgement judgement =
                dedupe.onNotification(
                        header(record, Wis2Topology.TOPIC_HEADER),
                        record.value(),
                        Instant.ofEpochMilli(record.timestamp()),
                        state);
        switch (judgement.kind()) {
            case IGNORED -> ignored.record();
            case INVALID ->
                    context.forward(
                            DeadLetters.branch(
                                    log,
                                    context,
                                    record,
                                    new InvalidNotificationException(judgement.reason())),
                            Wis2Topology.DEAD_LETTER_SINK);
            case DUPLICATE -> {
                duplicates.record();
                log.debug("dropped a copy: {}", judgement.reason());
            }
            case ACCEPTED -> forward(judgement.requests(), record.timestamp());
        }
    }

    /** Each request keyed by its data id, its MQTT topic in the header. */
    static void forward(
            ProcessorContext<byte[], byte[]> context,
            List<Wis2Dedupe.Request> requests,
            long timestamp) {
        for (Wis2Dedupe.Request request : requests) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(
                    Wis2Topology.TOPIC_HEADER, request.topic().getBytes(StandardCharsets.UTF_8));
            context.forward(
                    new Record<>(
                            request.notification().dataId().getBytes(StandardCharsets.UTF_8),
                            request.notification().bytes(),
                            timestamp,
                            headers),
                    Wis2Topology.FETCH_REQUESTS_SINK);
        }
    }

    private void forward(List<Wis2Dedupe.Request> requests, long timestamp) {
        forward(context, requests, timestamp);
    }

    /** Forgets ids and idle data ids older than the retention, in stream time. */
    private void purge(long streamTime) {
        Instant now = Instant.ofEpochMilli(streamTime);
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = state.seenStore().all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (dedupe.seenExpired(Instant.ofEpochMilli(entry.value), now)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(state.seenStore()::delete);
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = state.ledgerStore().all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (dedupe.ledgerExpired(LedgerEntry.decode(entry.value), now)) {
                    idle.add(entry.key);
                }
            }
        }
        idle.forEach(state.ledgerStore()::delete);
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
