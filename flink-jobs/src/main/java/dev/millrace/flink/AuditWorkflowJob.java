package dev.millrace.flink;

import dev.millrace.audit.ArchiveOutcome;
import dev.millrace.audit.AuditRecord;
import dev.millrace.audit.AuditSettings;
import dev.millrace.audit.AuditWorkflow;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.FlinkSettings;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit workflow on Flink, the core's {@link AuditWorkflow} as the Streams topology runs it:
 * accepted records and the S3 sink's archive reports in, keyed by messageID, in either order;
 * metadata, one final state and the progress events out, and dead letters for a record that reuses
 * an id for another payload. State per message: its progress, forgotten {@code audit.retention}
 * after its last change.
 */
public final class AuditWorkflowJob {
    public static final String NAME = "audit";

    /** The job's topics. */
    public record Topics(
            String messages,
            String archiveResults,
            String metadata,
            String finalState,
            String events,
            String deadLetters)
            implements Serializable {
        public static final Topics CATALOG =
                new Topics(
                        TopicCatalog.AUDIT_MESSAGES.name(),
                        TopicCatalog.AUDIT_ARCHIVE_RESULTS.name(),
                        TopicCatalog.AUDIT_METADATA.name(),
                        TopicCatalog.AUDIT_FINAL_STATE.name(),
                        TopicCatalog.AUDIT_EVENTS.name(),
                        TopicCatalog.AUDIT_DLQ.name());

        /** These topics as {@code settings} name them. */
        public Topics as(FlinkSettings settings) {
            String suffix = settings.outputSuffix();
            return new Topics(
                    settings.topic(messages),
                    settings.topic(archiveResults),
                    settings.topic(metadata) + suffix,
                    settings.topic(finalState) + suffix,
                    settings.topic(events) + suffix,
                    settings.topic(deadLetters) + suffix);
        }
    }

    private final JobConfig config;
    private final Topics topics;

    public AuditWorkflowJob(JobConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
    }

    public void build(StreamExecutionEnvironment env, JobIo io) {
        DataStream<KafkaRecord> messages = io.source(env, topics.messages());
        DataStream<KafkaRecord> archives = io.source(env, topics.archiveResults());
        DataStream<KafkaRecord> outputs =
                messages.connect(archives)
                        .keyBy(KafkaRecord::keyText, KafkaRecord::keyText, Types.STRING)
                        .process(new WorkflowFunction(config, topics))
                        .uid("audit-workflow")
                        .name("workflow");
        io.sink(outputs, NAME);
    }

    /** Moves a message's workflow on from either input and writes what the step produced. */
    static final class WorkflowFunction
            extends KeyedCoProcessFunction<String, KafkaRecord, KafkaRecord, KafkaRecord> {
        private static final long serialVersionUID = 1L;
        private static final Logger log = LoggerFactory.getLogger(WorkflowFunction.class);

        private final JobConfig config;
        private final Topics topics;
        private transient AuditWorkflow workflow;
        private transient ValueState<byte[]> state;
        private transient ListState<KafkaRecord> earlyArchives;

        WorkflowFunction(JobConfig config, Topics topics) {
            this.config = config;
            this.topics = topics;
        }

        @Override
        public void open(OpenContext context) {
            AuditSettings settings = AuditSettings.from(config.config());
            // The documents name the metadata topic as the catalog does, suffix or not.
            String suffix = FlinkSettings.from(config.config()).outputSuffix();
            String metadata = topics.metadata();
            if (!suffix.isEmpty() && metadata.endsWith(suffix)) {
                metadata = metadata.substring(0, metadata.length() - suffix.length());
            }
            workflow = new AuditWorkflow(metadata, settings.awsSample());
            ValueStateDescriptor<byte[]> progress =
                    new ValueStateDescriptor<>(
                            "workflow", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            progress.enableTimeToLive(Wis2DedupeJob.DedupeFunction.ttl(settings.retention()));
            state = getRuntimeContext().getState(progress);
            ListStateDescriptor<KafkaRecord> early =
                    new ListStateDescriptor<>(
                            "early-archives", TypeInformation.of(KafkaRecord.class));
            early.enableTimeToLive(Wis2DedupeJob.DedupeFunction.ttl(settings.retention()));
            earlyArchives = getRuntimeContext().getListState(early);
        }

        @Override
        public void processElement1(KafkaRecord record, Context context, Collector<KafkaRecord> out)
                throws Exception {
            step(record, true, out);
            List<KafkaRecord> held = new ArrayList<>();
            earlyArchives.get().forEach(held::add);
            if (!held.isEmpty()) {
                earlyArchives.clear();
                for (KafkaRecord report : held) {
                    step(report, false, out);
                }
            }
        }

        /**
         * The two inputs are not read in time order, as Streams reads them: archive reports that
         * overtake their record (while the job catches up, or after a restore) wait for it, in the
         * order they came, so that both engines stamp the same steps with the same times.
         */
        @Override
        public void processElement2(KafkaRecord record, Context context, Collector<KafkaRecord> out)
                throws Exception {
            AuditWorkflow.State current = AuditWorkflow.State.decode(state.value());
            if (record.key() != null && current.message() == null && !current.finished()) {
                earlyArchives.add(record);
                return;
            }
            step(record, false, out);
        }

        private void step(KafkaRecord record, boolean message, Collector<KafkaRecord> out)
                throws IOException {
            if (record.key() == null) {
                skip(record, "no key");
                return;
            }
            String messageId = record.keyText();
            Instant at = Instant.ofEpochMilli(record.timestamp());
            AuditWorkflow.State current = AuditWorkflow.State.decode(state.value());
            AuditWorkflow.Step step;
            try {
                step =
                        message
                                ? workflow.onMessage(current, messageOf(record, messageId), at)
                                : workflow.onArchive(
                                        current, ArchiveOutcome.parse(record.value()), at);
            } catch (IllegalArgumentException e) {
                skip(record, e.getMessage());
                return;
            }
            if (step.next() != current) {
                state.update(step.next().encode());
            }
            for (AuditWorkflow.Output output : step.outputs()) {
                out.collect(write(record, output));
            }
        }

        private static AuditRecord messageOf(KafkaRecord record, String key) {
            AuditRecord message = AuditRecord.parse(record.value());
            if (!message.messageId().equals(key)) {
                throw new IllegalArgumentException(
                        "the key " + key + " is not the record's messageID " + message.messageId());
            }
            return message;
        }

        private KafkaRecord write(KafkaRecord source, AuditWorkflow.Output output) {
            if (output instanceof AuditWorkflow.Event event) {
                return record(
                        topics.events(),
                        event.messageId(),
                        json(event.toJson()),
                        event.timestamp().toEpochMilli());
            } else if (output instanceof AuditWorkflow.Metadata metadata) {
                return record(
                        topics.metadata(),
                        metadata.messageId(),
                        json(metadata.value()),
                        source.timestamp());
            } else if (output instanceof AuditWorkflow.FinalState finalState) {
                return record(
                        topics.finalState(),
                        finalState.messageId(),
                        json(finalState.value()),
                        source.timestamp());
            }
            AuditWorkflow.Rejected rejected = (AuditWorkflow.Rejected) output;
            return DeadLetters.of(
                    source,
                    new IllegalArgumentException(rejected.reason()),
                    topics.deadLetters(),
                    log);
        }

        private static KafkaRecord record(
                String topic, String messageId, byte[] value, long timestamp) {
            return KafkaRecord.to(
                    topic, timestamp, messageId.getBytes(StandardCharsets.UTF_8), value, List.of());
        }

        private static void skip(KafkaRecord record, String reason) {
            log.warn(
                    "skipped {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason);
        }

        private static byte[] json(Object node) {
            try {
                return Json.mapper().writeValueAsBytes(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
