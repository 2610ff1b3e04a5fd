package dev.millrace.services.audit;

import com.sun.net.httpserver.HttpHandler;
import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.services.Service;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.audit.MetadataStoreLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The audit HTTP API as one service: {@code POST /v1/messages} writes records through its producer,
 * {@code GET /v1/messages/{messageID}} reads the metadata store kept by its own {@link
 * StreamsRunner} over {@code audit.metadata}. It owns the producer, the store's runner and the S3
 * client it stages large payloads with, and closes them.
 */
public final class AuditIngest implements Service {
    private final Producer<byte[], byte[]> producer;
    private final StreamsRunner query;
    private final S3Client s3;
    private final IngestService handler;
    private final boolean awsSample;

    public AuditIngest(
            AuditSettings settings,
            Producer<byte[], byte[]> producer,
            StreamsRunner query,
            S3Client s3,
            Clock clock) {
        this.producer = producer;
        this.query = query;
        this.s3 = s3;
        this.awsSample = settings.awsSample();
        this.handler =
                new IngestService(
                        settings,
                        producer,
                        s3,
                        TopicCatalog.AUDIT_MESSAGES.name(),
                        new MetadataStoreLookup(query.streams()),
                        clock);
    }

    @Override
    public void start() {
        query.start();
    }

    /** The ingest is up with its metadata store; until the store has loaded, GET answers 503. */
    @Override
    public String problem() {
        return query.problem();
    }

    @Override
    public Map<String, HttpHandler> routes() {
        Map<String, HttpHandler> routes = new java.util.LinkedHashMap<>();
        routes.put(IngestService.PATH, handler);
        if (awsSample) {
            IngestService.SAMPLE_PATHS.forEach(path -> routes.put(path, handler));
        }
        return routes;
    }

    @Override
    public void close() {
        query.close();
        producer.close(Duration.ofSeconds(5));
        s3.close();
    }
}
