package dev.millrace.pipeline;

import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigException;
import dev.millrace.config.S3Clients;
import dev.millrace.connect.s3.S3SinkConnector;
import dev.millrace.connect.s3.S3SinkConnectorConfig;
import dev.millrace.services.audit.AuditIngest;
import dev.millrace.services.audit.IngestProducers;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.audit.AuditQueryTopology;
import dev.millrace.streams.audit.AuditTopology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;

/**
 * The audit pipeline: the HTTP ingest writes {@code audit.messages}; the S3 sink connector archives
 * each payload at {@code YYYY/MM/DD/HH/MM/SS/<messageID>} and reports it on {@code
 * audit.archive-results} (or salvages the record and dead-letters it); the workflow topology
 * persists the metadata and emits the one final state; a global store over {@code audit.metadata}
 * answers {@code GET /v1/messages/{messageID}}.
 */
public final class AuditPipeline implements Pipeline {
    public static final String NAME = "audit";
    public static final String ARCHIVE_CONNECTOR = "audit-archive";
    public static final String INGEST_SERVICE = "ingest";

    /** Where the sink finds the archive key's parts in an {@code audit.messages} record. */
    static final String ARCHIVE_KEY_TEMPLATE =
            "${json-time:/messageMetaData/dateTime:yyyy/MM/dd/HH/mm/ss}/${json:/messageID}";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicDefinition> topics() {
        return List.of(
                TopicCatalog.AUDIT_MESSAGES,
                TopicCatalog.AUDIT_ARCHIVE_RESULTS,
                TopicCatalog.AUDIT_METADATA,
                TopicCatalog.AUDIT_FINAL_STATE,
                TopicCatalog.AUDIT_EVENTS,
                TopicCatalog.AUDIT_DLQ,
                TopicCatalog.AUDIT_DLQ_REDRIVES);
    }

    @Override
    public List<StreamsApp> streamsApps(PipelineContext context) {
        AuditSettings settings = AuditSettings.from(context.config());
        return List.of(
                StreamsApp.of(
                        NAME,
                        AuditTopology.APPLICATION_ID,
                        List.of(
                                TopicCatalog.AUDIT_MESSAGES.name(),
                                TopicCatalog.AUDIT_ARCHIVE_RESULTS.name()),
                        () -> new AuditTopology(settings.retention(), settings.awsSample()).build(),
                        TopicCatalog.AUDIT_DLQ.name(),
                        context));
    }

    /**
     * The archiving sink: one object per record, the payload taken from the record (base64 inline)
     * or copied from its claim check, which is then removed; a report per record to {@code
     * audit.archive-results} on the record's partition; a record that cannot be archived salvaged
     * to the failure bucket and dead-lettered to {@code audit.dlq} with its reason.
     */
    @Override
    public Map<String, Map<String, String>> connectors(PipelineContext context) {
        AuditSettings settings = AuditSettings.from(context.config());
        Map<String, String> sink = ConnectorConfigs.of(S3SinkConnector.class, 2);
        sink.put(SinkConnectorConfig.TOPICS_CONFIG, TopicCatalog.AUDIT_MESSAGES.name());
        sink.put(ConnectorConfig.KEY_CONVERTER_CLASS_CONFIG, ByteArrayConverter.class.getName());
        sink.put(ConnectorConfig.VALUE_CONVERTER_CLASS_CONFIG, ByteArrayConverter.class.getName());
        ConnectorConfigs.readCommitted(sink);
        // Records carry up to audit.inline-max inline (683 KB as base64): let a fetch carry
        // several, and bound a put to 64 records, whose parsed and decoded payloads are in memory
        // together (about 64 MB at most).
        ConnectorConfigs.consumer(sink, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        ConnectorConfigs.consumer(sink, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        ConnectorConfigs.consumer(sink, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        sink.put(S3SinkConnectorConfig.BUCKET, settings.archiveBucket());
        sink.put(S3SinkConnectorConfig.REGION, context.s3().region());
        if (!context.s3().endpoint().isBlank()) {
            sink.put(S3SinkConnectorConfig.ENDPOINT, context.s3().endpoint());
        }
        sink.put(S3SinkConnectorConfig.PATH_STYLE, String.valueOf(context.s3().pathStyle()));
        if (!context.s3().accessKey().isBlank()) {
            sink.put(S3SinkConnectorConfig.ACCESS_KEY_ID, context.s3().accessKey());
            sink.put(S3SinkConnectorConfig.SECRET_ACCESS_KEY, context.s3().secretKey());
        }
        sink.put(S3SinkConnectorConfig.MODE, S3SinkConnectorConfig.MODE_RECORD);
        sink.put(S3SinkConnectorConfig.KEY_TEMPLATE, ARCHIVE_KEY_TEMPLATE);
        sink.put(S3SinkConnectorConfig.CONTENT, S3SinkConnectorConfig.CONTENT_AT_POINTER);
        sink.put(S3SinkConnectorConfig.CONTENT_POINTER, "/payload/inline");
        sink.put(S3SinkConnectorConfig.CONTENT_ENCODING, S3SinkConnectorConfig.ENCODING_BASE64);
        sink.put(S3SinkConnectorConfig.CLAIM_CHECK_POINTER, "/payload/s3");
        sink.put(S3SinkConnectorConfig.CLAIM_CHECK_DELETE, "true");
        sink.put(S3SinkConnectorConfig.CONTENT_TYPE_POINTER, "/payload/contentType");
        sink.put(S3SinkConnectorConfig.COMPLETION_TOPIC, TopicCatalog.AUDIT_ARCHIVE_RESULTS.name());
        context.kafka()
                .clientProperties()
                .forEach(
                        (k, v) ->
                                sink.put(
                                        S3SinkConnectorConfig.COMPLETION_PRODUCER_PREFIX + k,
                                        String.valueOf(v)));
        sink.put(S3SinkConnectorConfig.SALVAGE_BUCKET, settings.failureBucket());
        ConnectorConfigs.deadLetterTo(sink, TopicCatalog.AUDIT_DLQ.name());
        sink.put(ConnectorConfig.ERRORS_LOG_ENABLE_CONFIG, "true");
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put(ARCHIVE_CONNECTOR, sink);
        return connectors;
    }

    /**
     * The HTTP API: {@code POST /v1/messages} and {@code GET /v1/messages/{messageID}}, with the
     * metadata store it reads, kept under {@code streams.state-dir}.
     */
    @Override
    public List<ServiceSpec> services() {
        return List.of(
                new ServiceSpec(
                        INGEST_SERVICE,
                        "the audit HTTP API: POST and GET /v1/messages",
                        List.of(AuditQueryTopology.APPLICATION_ID),
                        List.of(TopicCatalog.AUDIT_METADATA.name()),
                        List.of(TopicCatalog.AUDIT_MESSAGES.name()),
                        List.of(AuditSettings.STAGING_BUCKET),
                        true,
                        context -> {
                            AuditSettings settings = AuditSettings.from(context.config());
                            if (settings.apiKeys().isEmpty()) {
                                throw new ConfigException(
                                        "key "
                                                + AuditSettings.API_KEYS.name()
                                                + " must be set: the accepted API keys");
                            }
                            return new AuditIngest(
                                    settings,
                                    IngestProducers.create(context.kafka()),
                                    query(context),
                                    S3Clients.create(context.s3()),
                                    context.clock());
                        }));
    }

    /** The global store the ingest reads metadata from; it reads only committed metadata. */
    static StreamsRunner query(PipelineContext context) {
        return StreamsApp.of(
                        INGEST_SERVICE,
                        AuditQueryTopology.APPLICATION_ID,
                        List.of(TopicCatalog.AUDIT_METADATA.name()),
                        () -> new AuditQueryTopology().build(),
                        TopicCatalog.AUDIT_DLQ.name(),
                        context)
                .factory()
                .get();
    }

    @Override
    public List<String> buckets(Config config) {
        AuditSettings settings = AuditSettings.from(config);
        return List.of(
                settings.stagingBucket(), settings.archiveBucket(), settings.failureBucket());
    }
}
