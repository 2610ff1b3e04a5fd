package dev.millrace.streams.audit;

import dev.millrace.audit.ArchiveOutcome;
import dev.millrace.audit.AuditRecord;
import dev.millrace.audit.AuditWorkflow;
import dev.millrace.json.Json;
import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.streams.internal.TaskSensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Moves a message's workflow on from one of its two inputs and writes what the step produced. A
 * record on {@code audit.messages} that is not an audit record is left to the S3 sink, which
 * salvages and dead-letters it with its reason; here it is only counted.
 */
final class AuditProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(AuditProcessor.class);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    enum Input {
        MESSAGES,
        ARCHIVE_RESULTS
    }

    private final Input input;
    private final AuditWorkflow workflow;
    private final Duration retention;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private Sensor unreadable;
    private Sensor duplicates;

    AuditProcessor(
            Input input, AuditTopology.Topics topics, Duration retention, boolean awsSample) {
        this.input = input;
        this.workflow = new AuditWorkflow(topics.metadata(), awsSample);
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(AuditTopology.WORKFLOW_STORE);
        unreadable = TaskSensors.rateTotal(context, "audit", "unreadable-skipped");
        duplicates = TaskSensors.rateTotal(context, "audit", "duplicate-dropped");
        if (input == Input.MESSAGES) {
            // Stream time, not the wall clock: a replay expires exactly what the first run did.
            context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            skip(record, "no key");
            return;
        }
        String messageId = new String(record.key(), StandardCharsets.UTF_8);
        Instant at = Instant.ofEpochMilli(record.timestamp());
        AuditWorkflow.State state = AuditWorkflow.State.decode(states.get(messageId));
        AuditWorkflow.Step step;
        try {
            step =
                    input == Input.MESSAGES
                            ? workflow.onMessage(state, messageOf(record, messageId), at)
                            : workflow.onArchive(state, ArchiveOutcome.parse(record.value()), at);
        } catch (IllegalArgumentException e) {
            skip(record, e.getMessage());
            return;
        }
        if (step.outputs().isEmpty() && step.next() == state && input == Input.MESSAGES) {
            duplicates.record();
        }
        if (step.next() != state) {
            states.put(messageId, step.next().encode());
        }
        for (AuditWorkflow.Output output : step.outputs()) {
            write(record, output);
        }
    }

    private static AuditRecord messageOf(Record<byte[], byte[]> record, String key) {
        AuditRecord message = AuditRecord.parse(record.value());
        if (!message.messageId().equals(key)) {
            throw new IllegalArgumentException(
                    "the key " + key + " is not the record's messageID " + message.messageId());
        }
        return message;
    }

    private void write(Record<byte[], byte[]> source, AuditWorkflow.Output output) {
        if (output instanceof AuditWorkflow.Event event) {
            forward(
                    event.messageId(),
                    bytes(event.toJson()),
                    event.timestamp(),
                    AuditTopology.EVENTS_SINK);
        } else if (output instanceof AuditWorkflow.Metadata metadata) {
            forward(
                    metadata.messageId(),
                    bytes(metadata.value()),
                    Instant.ofEpochMilli(source.timestamp()),
                    AuditTopology.METADATA_SINK);
        } else if (output instanceof AuditWorkflow.FinalState state) {
            forward(
                    state.messageId(),
                    bytes(state.value()),
                    Instant.ofEpochMilli(source.timestamp()),
                    AuditTopology.FINAL_STATE_SINK);
        } else if (output instanceof AuditWorkflow.Rejected rejected) {
            context.forward(
                    DeadLetters.branch(
                            log, context, source, new IllegalArgumentException(rejected.reason())),
                    AuditTopology.DEAD_LETTER_SINK);
        }
    }

    private void forward(String messageId, byte[] value, Instant timestamp, String sink) {
        context.forward(
                new Record<>(
                        messageId.getBytes(StandardCharsets.UTF_8),
                        value,
                        timestamp.toEpochMilli()),
                sink);
    }

    private void skip(Record<byte[], byte[]> record, String reason) {
        unreadable.record();
        context.recordMetadata()
                .ifPresent(
                        m ->
                                log.warn(
                                        "skipped {}-{}@{}: {}",
                                        m.topic(),
                                        m.partition(),
                                        m.offset(),
                                        reason));
    }

    /** Forgets finished messages older than the retention; running ones stay until they end. */
    private void purge(long streamTime) {
        long horizon = streamTime - retention.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                AuditWorkflow.State state = AuditWorkflow.State.decode(entry.value);
                if (state.finished() && state.finishedAt().toEpochMilli() < horizon) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(states::delete);
    }

    private static byte[] bytes(Object node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
