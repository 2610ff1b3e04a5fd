package dev.millrace.cli;

import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.http.Health;
import dev.millrace.cli.http.HttpApi;
import dev.millrace.cli.pipeline.AuditPipeline;
import dev.millrace.cli.pipeline.StreamsApp;
import dev.millrace.cli.wis2.CacheHandler;
import dev.millrace.cli.wis2.CacheWorker;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigException;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.connect.ingest.IngestProducers;
import dev.millrace.connect.ingest.IngestService;
import dev.millrace.local.LocalStackSettings;
import dev.millrace.local.S3Clients;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.streams.audit.MetadataStoreLookup;
import dev.millrace.wis2.Wis2Settings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace run <component>}: one pipeline's Streams application against any Kafka (the
 * {@code kafka.*} keys; MSK with {@code kafka.auth=iam}), until Ctrl-C or SIGTERM.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run one component against the configured Kafka until stopped: a pipeline's Streams"
                + " application (telemetry, wis2, audit) or the Global Cache's cache step"
                + " (wis2-cache, with S3 and an HTTP server for the cached objects) or the audit"
                + " HTTP ingest with its metadata store (ingest)."
        })
final class RunCommand implements Callable<Integer> {
    private static final String WIS2_CACHE = "wis2-cache";
    private static final String INGEST = "ingest";

    @Mixin ConfigOptions options;

    @Parameters(
            index = "0",
            paramLabel = "COMPONENT",
            description = "The component: telemetry, wis2, audit, wis2-cache or ingest.")
    String component;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        if (component.equals(WIS2_CACHE)) {
            return runWis2Cache(config);
        }
        if (component.equals(INGEST)) {
            return runIngest(config);
        }
        Map<String, StreamsApp> apps = ResetCommand.apps(config);
        StreamsApp app = apps.get(component);
        if (app == null) {
            throw new CommandFailedException(
                    "no component '"
                            + component
                            + "'; components: "
                            + apps.keySet()
                            + ", "
                            + WIS2_CACHE
                            + " and "
                            + INGEST);
        }
        StreamsRunner runner = app.factory().get();
        return runUntilStopped(runner::start, runner);
    }

    private interface Start {
        void run() throws Exception;
    }

    /**
     * Starts a component's parts, then waits for Ctrl-C or SIGTERM, on which the parts are closed
     * in the order given.
     */
    private static int runUntilStopped(Start start, AutoCloseable... closeInOrder)
            throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    for (AutoCloseable part : closeInOrder) {
                                        try {
                                            part.close();
                                        } catch (Exception e) {
                                            System.err.println(
                                                    "millrace: stopping failed: " + e.getMessage());
                                        }
                                    }
                                    stopped.countDown();
                                },
                                "millrace-stop"));
        start.run();
        stopped.await();
        return 0;
    }

    /**
     * The Global Cache's cache step on its own: fetch requests from the configured Kafka, objects
     * in the configured S3 bucket, and an HTTP server on {@code http.port} with {@code /health},
     * {@code /metrics} and the cached objects under {@code /wis2/cache/} (put a load balancer in
     * front and set {@code wis2.cache.base-url} to its URL).
     */
    private static int runWis2Cache(Config config) throws Exception {
        Wis2Settings wis2 = Wis2Settings.from(config);
        if (wis2.cacheBaseUrl().isBlank()) {
            throw new ConfigException(
                    "key "
                            + Wis2Settings.CACHE_BASE_URL.name()
                            + " must be set: the public URL the cached objects are served under");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Health health = new Health();
        CacheWorker worker =
                new CacheWorker(
                        KafkaSettings.from(config),
                        wis2,
                        S3Clients.create(S3Settings.from(config)),
                        registry);
        HttpApi http =
                new HttpApi(
                        config.get(LocalStackSettings.HOST),
                        config.get(LocalStackSettings.HTTP_PORT),
                        health,
                        registry);
        http.route(CacheHandler.PATH, new CacheHandler(worker));
        health.register(WIS2_CACHE, worker::problem);
        return runUntilStopped(
                () -> {
                    worker.start();
                    http.start();
                },
                http,
                worker,
                registry::close);
    }

    /**
     * The audit HTTP ingest on its own: {@code POST /v1/messages} and {@code GET
     * /v1/messages/{messageID}} on {@code http.port} against the configured Kafka and S3, with
     * {@code /health} and {@code /metrics}. The metadata store is loaded from {@code
     * audit.metadata} under {@code streams.state-dir}.
     */
    private static int runIngest(Config config) throws Exception {
        AuditSettings audit = AuditSettings.from(config);
        if (audit.apiKeys().isEmpty()) {
            throw new ConfigException(
                    "key " + AuditSettings.API_KEYS.name() + " must be set: the accepted API keys");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Health health = new Health();
        KafkaSettings kafka = KafkaSettings.from(config);
        KafkaProducer<byte[], byte[]> producer = IngestProducers.create(kafka);
        StreamsRunner query = AuditPipeline.query(kafka, StreamsSettings.from(config), registry);
        HttpApi http =
                new HttpApi(
                        config.get(LocalStackSettings.HOST),
                        config.get(LocalStackSettings.HTTP_PORT),
                        health,
                        registry);
        http.route(
                IngestService.PATH,
                new IngestService(
                        audit,
                        producer,
                        S3Clients.create(S3Settings.from(config)),
                        TopicCatalog.AUDIT_MESSAGES.name(),
                        new MetadataStoreLookup(query.streams()),
                        Clock.systemUTC()));
        health.register(INGEST, () -> null);
        health.register("audit-query", query::problem);
        return runUntilStopped(
                () -> {
                    query.start();
                    http.start();
                },
                http,
                query,
                producer,
                registry::close);
    }
}
