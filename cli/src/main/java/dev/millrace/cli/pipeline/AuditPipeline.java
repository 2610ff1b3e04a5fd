package dev.millrace.cli.pipeline;

import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.streams.audit.AuditQueryTopology;
import dev.millrace.streams.audit.AuditTopology;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How the audit pipeline is put together: the HTTP ingest writes {@code audit.messages}; the S3
 * sink connector archives each payload at {@code YYYY/MM/DD/HH/MM/SS/<messageID>} and reports it on
 * {@code audit.archive-results} (or salvages the record and dead-letters it); the workflow topology
 * persists the metadata and emits the one final state; a global store over {@code audit.metadata}
 * answers {@code GET /v1/messages/{messageID}}.
 */
public final class AuditPipeline {
    public static final String NAME = "audit";
    public static final String ARCHIVE_CONNECTOR = "audit-archive";

    /** Where the sink finds the archive key's parts in an {@code audit.messages} record. */
    static final String ARCHIVE_KEY_TEMPLATE =
            "${json-time:/messageMetaData/dateTime:yyyy/MM/dd/HH/mm/ss}/${json:/messageID}";

    private AuditPipeline() {}

    public static StreamsApp app(
            KafkaSettings kafka,
            StreamsSettings streams,
            AuditSettings settings,
            MeterRegistry registry) {
        return new StreamsApp(
                NAME,
                AuditTopology.APPLICATION_ID,
                List.of(
                        TopicCatalog.AUDIT_MESSAGES.name(),
                        TopicCatalog.AUDIT_ARCHIVE_RESULTS.name()),
                () ->
                        new StreamsRunner(
                                AuditTopology.APPLICATION_ID,
                                new AuditTopology(settings.retention()).build(),
                                StreamsRunner.properties(
                                        AuditTopology.APPLICATION_ID,
                                        kafka,
                                        streams,
                                        TopicCatalog.AUDIT_DLQ.name()),
                                registry));
    }

    /** The global store the ingest reads metadata from; it reads only committed metadata. */
    public static StreamsRunner query(
            KafkaSettings kafka, StreamsSettings streams, MeterRegistry registry) {
        Properties properties =
                StreamsRunner.properties(
                        AuditQueryTopology.APPLICATION_ID,
                        kafka,
                        streams,
                        TopicCatalog.AUDIT_DLQ.name());
        return new StreamsRunner(
                AuditQueryTopology.APPLICATION_ID,
                new AuditQueryTopology().build(),
                properties,
                registry);
    }

    /**
     * The archiving sink: one object per record, the payload taken from the record (base64 inline)
     * or copied from its claim check, which is then removed; a report per record to {@code
     * audit.archive-results} on the record's partition; a record that cannot be archived salvaged
     * to the failure bucket and dead-lettered to {@code audit.dlq} with its reason.
     */
    public static Map<String, Map<String, String>> connectors(
            AuditSettings settings, S3Settings s3, KafkaSettings kafka) {
        Map<String, String> sink = new LinkedHashMap<>();
        sink.put("connector.class", "dev.millrace.connect.s3.S3SinkConnector");
        sink.put("tasks.max", "2");
        sink.put("topics", TopicCatalog.AUDIT_MESSAGES.name());
        sink.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        sink.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        sink.put("consumer.override.isolation.level", "read_committed");
        // Records carry up to audit.inline-max inline (683 KB as base64): let a fetch carry
        // several, and bound a put to 64 records, whose parsed and decoded payloads are in memory
        // together (about 64 MB at most).
        sink.put("consumer.override.max.partition.fetch.bytes", String.valueOf(8 << 20));
        sink.put("consumer.override.max.poll.records", "64");
        sink.put("consumer.override.fetch.max.wait.ms", "10");
        sink.put("s3.bucket", settings.archiveBucket());
        sink.put("s3.region", s3.region());
        if (!s3.endpoint().isBlank()) {
            sink.put("s3.endpoint", s3.endpoint());
        }
        sink.put("s3.path-style", String.valueOf(s3.pathStyle()));
        if (!s3.accessKey().isBlank()) {
            sink.put("s3.access-key-id", s3.accessKey());
            sink.put("s3.secret-access-key", s3.secretKey());
        }
        sink.put("s3.mode", "record");
        sink.put("s3.key.template", ARCHIVE_KEY_TEMPLATE);
        sink.put("s3.content", "pointer");
        sink.put("s3.content.pointer", "/payload/inline");
        sink.put("s3.content.encoding", "base64");
        sink.put("s3.claim-check.pointer", "/payload/s3");
        sink.put("s3.claim-check.delete", "true");
        sink.put("s3.content-type.pointer", "/payload/contentType");
        sink.put("completion.topic", TopicCatalog.AUDIT_ARCHIVE_RESULTS.name());
        kafka.clientProperties()
                .forEach((k, v) -> sink.put("completion.producer." + k, String.valueOf(v)));
        sink.put("salvage.bucket", settings.failureBucket());
        sink.put("errors.tolerance", "all");
        sink.put("errors.deadletterqueue.topic.name", TopicCatalog.AUDIT_DLQ.name());
        sink.put("errors.deadletterqueue.context.headers.enable", "true");
        sink.put("errors.log.enable", "true");
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put(ARCHIVE_CONNECTOR, sink);
        return connectors;
    }
}
