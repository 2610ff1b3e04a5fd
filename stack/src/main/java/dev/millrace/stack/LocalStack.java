package dev.millrace.stack;

import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.Admins;
import dev.millrace.cli.ConsumerLags;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigException;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Clients;
import dev.millrace.config.S3Settings;
import dev.millrace.config.TlsSettings;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.source.MqttSourceConnector;
import dev.millrace.connect.mqtt.source.MqttSourceConnectorConfig;
import dev.millrace.local.LocalConnect;
import dev.millrace.local.LocalKafka;
import dev.millrace.local.LocalKafkaCluster;
import dev.millrace.local.LocalMqtt;
import dev.millrace.local.LocalS3;
import dev.millrace.local.LocalSecret;
import dev.millrace.local.MqttAccess;
import dev.millrace.local.Ports;
import dev.millrace.local.SelfSignedKeystore;
import dev.millrace.pipeline.MqttEndpoint;
import dev.millrace.pipeline.Pipeline;
import dev.millrace.pipeline.PipelineContext;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.pipeline.ResetHandler;
import dev.millrace.pipeline.ServiceSpec;
import dev.millrace.pipeline.StreamsApp;
import dev.millrace.pipeline.StreamsApps;
import dev.millrace.pipeline.admin.CatalogAdmin;
import dev.millrace.services.Service;
import dev.millrace.services.audit.IngestService;
import dev.millrace.services.http.Health;
import dev.millrace.services.http.HttpApi;
import dev.millrace.stack.dashboard.Dashboard;
import dev.millrace.stack.flink.FlinkEngine;
import dev.millrace.streams.StreamsSettings;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Everything {@code millrace up} runs, in one JVM: a KRaft Kafka broker, an MQTT broker, an
 * S3-compatible server, a Kafka Connect worker running the pipelines' connectors, the pipelines'
 * Streams applications and the HTTP API, with the topic catalog and the buckets created. Parts
 * start in parallel where they do not depend on each other and stop in the reverse order; all state
 * lives under the data dir, so the next start resumes from it.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final LocalStackSettings settings;
    private final Deque<Part> running = new ArrayDeque<>();

    /**
     * A part of the stack, named for the log of how long it took to stop.
     *
     * @param stopAfter null to stop in turn, last started first; or the name of the part after
     *     which it stops on a thread of its own, alongside the parts that stop after that one
     */
    private record Part(String name, AutoCloseable closer, String stopAfter) {}

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health();
    private final AtomicLong healthChecks = new AtomicLong();
    private Admin admin;
    private LocalKafkaCluster kafkaCluster;
    private S3Client s3;
    private HttpApi http;
    private volatile LocalConnect connect;
    private LocalMqtt mqttBroker;
    private LocalS3 s3Server;
    private StreamsApps streamsApps;
    private PipelineContext context;
    private String localApiKey;
    private TlsSettings tls;
    private FlinkEngine flink;
    private MqttEndpoint mqttService;

    /** Millrace's own account on the local broker. */
    public static final String MQTT_SERVICE_USER = "millrace";

    private LocalStack(LocalStackSettings settings) {
        this.settings = settings;
    }

    /** Starts every part, or stops what started and throws. */
    public static LocalStack start(LocalStackSettings settings) throws Exception {
        Ports.requireFree(settings.host(), settings.portClaims());
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startParts();
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startParts() throws Exception {
        Path data = Files.createDirectories(settings.dataDir());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        started("metrics", registry::close);
        started("health", health);

        TlsSettings configured = TlsSettings.from(settings.config());
        tls =
                configured.configured()
                        ? configured
                        : SelfSignedKeystore.ensure(data.resolve("tls"), settings.host());
        mqttService =
                new MqttEndpoint(
                        settings.mqttUrl(),
                        MQTT_SERVICE_USER,
                        LocalSecret.ensure(data.resolve("mqtt-service.password")));
        MqttAccess access =
                new MqttAccess(
                        settings.mqttTlsPort(),
                        tls,
                        mqttService.username(),
                        mqttService.password(),
                        readers(settings.config()),
                        settings.config().get(LocalStackSettings.MQTT_ANONYMOUS),
                        Pipelines.mqttOutputs());
        CompletableFuture<LocalMqtt> mqtt =
                CompletableFuture.supplyAsync(
                        () ->
                                unchecked(
                                        () ->
                                                LocalMqtt.start(
                                                        data.resolve("mqtt"),
                                                        settings.host(),
                                                        settings.mqttPort(),
                                                        access)));
        CompletableFuture<LocalS3> s3Server =
                CompletableFuture.supplyAsync(
                        () ->
                                unchecked(
                                        () ->
                                                LocalS3.start(
                                                        data.resolve("s3"),
                                                        settings.host(),
                                                        settings.s3Port(),
                                                        settings.s3().accessKey(),
                                                        settings.s3().secretKey())));

        // HiveMQ takes seconds to stop, and so can the Connect worker: the MQTT broker stops
        // alongside the rest once the HTTP API is down (what the MQTT connectors had in flight is
        // redelivered on the next start), the S3 server once nothing that uses it runs any more
        // (the Connect worker, with the archive's sink, is the last).
        running.push(new Part("mqtt", () -> closeWhenStarted(mqtt), "http"));
        running.push(new Part("s3", () -> closeWhenStarted(s3Server), "connect"));

        long t0 = System.nanoTime();
        if (settings.brokers() == 1) {
            started(
                    "kafka",
                    LocalKafka.start(
                            data.resolve("kafka"),
                            settings.host(),
                            settings.kafkaPort(),
                            settings.controllerPort()));
        } else {
            kafkaCluster =
                    LocalKafkaCluster.start(
                            data.resolve("kafka-cluster"),
                            settings.host(),
                            LocalStackSettings.ports(settings.kafkaPort(), settings.brokers()),
                            LocalStackSettings.ports(
                                    settings.controllerPort(), settings.brokers()));
            started("kafka", kafkaCluster);
        }
        KafkaSettings kafkaSettings = settings.kafka();
        AdminClient adminClient =
                AdminClient.create(Admins.properties(kafkaSettings, "millrace-stack"));
        admin = adminClient;
        started("kafka admin", admin);
        new KafkaClientMetrics(adminClient).bindTo(registry);
        admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
        CatalogAdmin.Outcome outcome =
                new CatalogAdmin(admin, settings.kafka().replicationFactor())
                        .ensure(TopicCatalog.ALL);
        log.info(
                "kafka ready in {} ms; topics created: {}, aligned: {}",
                (System.nanoTime() - t0) / 1_000_000,
                outcome.created().size(),
                outcome.aligned().size());
        outcome.warnings().forEach(log::warn);
        health.register("kafka", this::kafkaProblem);
        health.register("topics", this::topicsProblem);

        Config config = settings.config();
        if (AuditSettings.from(config).apiKeys().isEmpty()) {
            // No key configured: one for this run, printed in the banner, never committed.
            localApiKey = "local:" + UUID.randomUUID();
            config = config.with(AuditSettings.API_KEYS, List.of(localApiKey), "local stack");
        }
        context =
                new PipelineContext(
                        config,
                        kafkaSettings,
                        StreamsSettings.from(config),
                        S3Settings.from(config),
                        mqttService,
                        settings.publicUrl(),
                        registry,
                        Clock.systemUTC());

        // The Connect worker joins its group and reads its config topic in the background while
        // the Streams applications, the S3 buckets and the services come up.
        CompletableFuture<LocalConnect> worker =
                CompletableFuture.supplyAsync(
                        () ->
                                LocalConnect.start(
                                        kafkaSettings, settings.host(), settings.connectPort()));
        running.push(
                new Part(
                        "connect",
                        () -> {
                            if (connect != null) {
                                connect.close();
                            } else {
                                closeWhenStarted(worker);
                            }
                        },
                        null));

        // Streams applications start in the background while the other parts come up.
        streamsApps = new StreamsApps(admin);
        started("streams", streamsApps);
        if (settings.engine() == LocalStackSettings.Engine.STREAMS) {
            for (StreamsApp app : Pipelines.streamsApps(context)) {
                streamsApps.start(app);
                health.register(app.name(), () -> streamsApps.problem(app.name()));
            }
        }

        LocalMqtt broker = join(mqtt);
        mqttBroker = broker;
        health.register("mqtt", this::mqttProblem);
        this.s3Server = join(s3Server);
        s3 = S3Clients.create(context.s3());
        started("s3 client", s3);
        LocalS3.createBuckets(s3, buckets(config));
        health.register("s3", this::s3Problem);
        http =
                new HttpApi(
                        settings.http(),
                        settings.http().tlsPort() == 0 ? null : tls.serverContext(),
                        health,
                        registry);
        for (ServiceSpec spec : Pipelines.services()) {
            Service service = spec.factory().apply(context);
            started(spec.name(), service);
            service.start();
            service.routes().forEach(http::route);
            health.register(spec.name(), service::problem);
        }

        connect = join(worker);
        health.register("connect", this::connectProblem);
        Map<String, Set<String>> mqttInputs = new TreeMap<>();
        for (Pipeline pipeline : Pipelines.ALL) {
            Map<String, Map<String, String>> connectors = pipeline.connectors(context);
            connect.deploy(connectors);
            mqttInputs.putAll(localSubscriptions(connectors.values()));
        }
        health.register("connectors", () -> connect.connectorsProblem());
        health.register("mqtt-inputs", () -> subscriptionsProblem(broker, mqttInputs));

        if (settings.engine() == LocalStackSettings.Engine.FLINK) {
            flink =
                    FlinkEngine.start(
                            data.resolve("flink"),
                            settings.flinkPort(),
                            config,
                            settings.bootstrapServers(),
                            Pipelines.streamsApps(context).stream().map(StreamsApp::name).toList());
            started("flink", flink);
            health.register("flink", flink::problem);
            http.route("/pipelines/", new ResetHandler(flink.resets()));
        } else {
            http.route("/pipelines/", new ResetHandler(ResetHandler.streams(streamsApps)));
        }
        Dashboard dashboard =
                new Dashboard(
                        kafkaSettings.clientProperties(),
                        admin,
                        health,
                        registry,
                        engines(),
                        ConsumerLags.components(context),
                        Clock.systemUTC());
        dashboard.routes(http);
        http.start();
        started("http", http);
        health.register("http", () -> null);
        // Closed before the HTTP API, so that its event streams end and do not hold up the stop.
        dashboard.start();
        started("dashboard", dashboard);
    }

    /** The engine that runs each pipeline's topologies, as the dashboard shows it. */
    private Map<String, String> engines() {
        String engine =
                switch (settings.engine()) {
                    case STREAMS -> "Kafka Streams";
                    case FLINK -> "Flink";
                    case NONE -> "none here (millrace run)";
                };
        Map<String, String> engines = new LinkedHashMap<>();
        Pipelines.ALL.forEach(p -> engines.put(p.name(), engine));
        return engines;
    }

    private String kafkaProblem() throws Exception {
        int nodes =
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                        .nodes()
                        .get(2, TimeUnit.SECONDS)
                        .size();
        return nodes > 0 ? null : "no broker in the cluster";
    }

    private String topicsProblem() throws Exception {
        var missing =
                new CatalogAdmin(admin, settings.kafka().replicationFactor())
                        .describe(TopicCatalog.ALL).stream()
                                .filter(t -> !t.exists())
                                .map(t -> t.definition().name())
                                .toList();
        return missing.isEmpty() ? null : "missing topics " + missing;
    }

    /**
     * What the MQTT sources must have subscribed to on the stack's broker before input published
     * there reaches Kafka: client id to topic filters.
     */
    private Map<String, Set<String>> localSubscriptions(Collection<Map<String, String>> configs) {
        Map<String, Set<String>> expected = new TreeMap<>();
        Set<String> local =
                Set.of(
                        settings.host() + ":" + settings.mqttPort(),
                        settings.host() + ":" + settings.mqttTlsPort());
        for (Map<String, String> config : configs) {
            if (!MqttSourceConnector.class.getName().equals(config.get("connector.class"))) {
                continue;
            }
            MqttSourceConnectorConfig source = new MqttSourceConnectorConfig(config);
            List<String> urls =
                    List.of(config.get(MqttConnectionConfig.BROKER_URLS).split("\\s*,\\s*"));
            for (int i = 0; i < urls.size(); i++) {
                String url = urls.get(i);
                if (local.contains(url.substring(url.indexOf("://") + 3))) {
                    expected.put(
                            source.connection().clientId(i),
                            new TreeSet<>(List.of(source.topicMappings().filters())));
                }
            }
        }
        return expected;
    }

    /** Null when every MQTT source has its subscriptions on the stack's broker. */
    private static String subscriptionsProblem(LocalMqtt broker, Map<String, Set<String>> expected)
            throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Set<String>> client : expected.entrySet()) {
            Set<String> absent = new TreeSet<>(client.getValue());
            absent.removeAll(broker.subscriptions(client.getKey()));
            if (!absent.isEmpty()) {
                missing.add(client.getKey() + " has not subscribed to " + absent);
            }
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    private String mqttProblem() throws Exception {
        // A client id of each check's own: checks run at once (/health, the dashboard) would
        // otherwise take each other's session over and fail.
        try (MqttClient client =
                new MqttClient(
                        settings.mqttUrl(),
                        "millrace-health-" + healthChecks.incrementAndGet(),
                        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence())) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(mqttService.username());
            options.setPassword(mqttService.password().toCharArray());
            client.connect(options);
            client.disconnect();
        }
        return null;
    }

    /** The read-only accounts, each user:password. */
    private static Map<String, String> readers(Config config) {
        Map<String, String> readers = new LinkedHashMap<>();
        for (String entry : config.get(LocalStackSettings.MQTT_READERS)) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new ConfigException(
                        "bad value for key "
                                + LocalStackSettings.MQTT_READERS.name()
                                + ": '"
                                + entry
                                + "' is not user:password");
            }
            readers.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return readers;
    }

    /** The certificate the local servers present: the one configured, or the one made here. */
    public TlsSettings tls() {
        return tls;
    }

    /** The PEM certificate clients trust, when the stack made its own; else null. */
    public Path certificate() {
        Path made = settings.dataDir().resolve("tls").resolve(SelfSignedKeystore.CERTIFICATE);
        return tls.keystore().startsWith(settings.dataDir()) ? made : null;
    }

    private String s3Problem() {
        var names = s3.listBuckets().buckets().stream().map(b -> b.name()).toList();
        var missing = buckets(context.config()).stream().filter(b -> !names.contains(b)).toList();
        return missing.isEmpty() ? null : "missing buckets " + missing;
    }

    /** Every pipeline's buckets, wherever they are configured. */
    private static List<String> buckets(Config config) {
        return Pipelines.ALL.stream().flatMap(p -> p.buckets(config).stream()).distinct().toList();
    }

    private String connectProblem() throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(settings.connectUrl() + "/health"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200
                ? null
                : "worker answered " + response.statusCode() + ": " + response.body();
    }

    public LocalStackSettings settings() {
        return settings;
    }

    public Health health() {
        return health;
    }

    /**
     * Checks health until every part is up or the timeout passes.
     *
     * @return the last check, healthy or not
     */
    public Map<String, Health.Status> awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Health.Status> statuses = health.check();
            if (statuses.values().stream().allMatch(Health.Status::up)
                    || System.nanoTime() > deadline) {
                return statuses;
            }
            Thread.sleep(100);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public HttpApi http() {
        return http;
    }

    /** The stack's MQTT broker, to stop and restart (its sessions and retained messages stay). */
    public LocalMqtt mqttBroker() {
        return mqttBroker;
    }

    /** The stack's S3 server, to stop and restart (its objects stay). */
    public LocalS3 s3Server() {
        return s3Server;
    }

    /**
     * Stops the Connect worker and starts a new one on the same Kafka topics: it finds its
     * connectors, their offsets and the tasks' assignments there, and takes them up again.
     */
    public void restartConnect() throws Exception {
        connect.close();
        LocalConnect restarted =
                LocalConnect.start(settings.kafka(), settings.host(), settings.connectPort());
        connect = restarted;
        for (Pipeline pipeline : Pipelines.ALL) {
            restarted.deploy(pipeline.connectors(context));
        }
    }

    /** The local Kafka cluster, when the stack runs one ({@code local.kafka.brokers} over 1). */
    public Optional<LocalKafkaCluster> kafkaCluster() {
        return Optional.ofNullable(kafkaCluster);
    }

    public Admin admin() {
        return admin;
    }

    public S3Client s3() {
        return s3;
    }

    /** What the stack built the pipelines from. */
    public PipelineContext context() {
        return context;
    }

    public StreamsApps streamsApps() {
        return streamsApps;
    }

    /** The endpoints, as printed when the stack is ready. */
    public String banner() {
        var s = settings;
        return String.join(
                "\n",
                "millrace is up (data in " + s.dataDir() + ")",
                "  Kafka      "
                        + s.bootstrapServers()
                        + (kafkaCluster == null
                                ? ""
                                : "  (nodes "
                                        + kafkaCluster.nodeIds()
                                        + ", pids "
                                        + kafkaCluster.pids()
                                        + "; 3 replicas, min.insync.replicas=2)"),
                "  MQTT       "
                        + s.mqttUrl()
                        + (s.config().get(LocalStackSettings.MQTT_ANONYMOUS)
                                ? "  (development: anonymous clients welcome)"
                                : "  (accounts only)"),
                "  MQTT/TLS   "
                        + s.mqttTlsUrl().replace("ssl://", "mqtts://")
                        + "  (read-only: "
                        + String.join(
                                ", ",
                                readers(s.config()).keySet().stream()
                                        .map(u -> u + "/" + readers(s.config()).get(u))
                                        .toList())
                        + (certificate() == null ? ")" : "; certificate " + certificate() + ")"),
                "  S3         http://"
                        + s.host()
                        + ":"
                        + s.s3Port()
                        + "  (access key "
                        + s.s3().accessKey()
                        + ", region "
                        + s.s3().region()
                        + ")",
                "  Connect    " + s.connectUrl(),
                s.engine() == LocalStackSettings.Engine.FLINK
                        ? "  Flink      http://"
                                + s.host()
                                + ":"
                                + s.flinkPort()
                                + "  (jobs "
                                + flink.jobs().keySet()
                                + ")"
                        : s.engine() == LocalStackSettings.Engine.NONE
                                ? "  Engine     none here: start the topologies with millrace run"
                                        + " <pipeline>"
                                : "  Engine     Kafka Streams (--engine flink runs the Flink jobs"
                                        + " instead)",
                "  Health     " + s.httpUrl() + "/health",
                s.http().tlsPort() == 0
                        ? "  HTTPS      off (set http.tls-port)"
                        : "  HTTPS      " + s.http().tlsUrl(),
                "  Metrics    " + s.httpUrl() + "/metrics",
                "  Audit      POST "
                        + s.httpUrl()
                        + IngestService.PATH
                        + (localApiKey == null
                                ? " (keys from audit.api-keys)"
                                : "  (x-api-key: "
                                        + localApiKey.substring("local:".length())
                                        + ")"),
                "Press Ctrl-C to stop.");
    }

    /** Stops every part that started, newest first; each part's state stays on disk. */
    @Override
    public void close() {
        List<Thread> alongside = new ArrayList<>();
        while (!running.isEmpty()) {
            Part part = running.pop();
            stop(part);
            for (Part waiting : List.copyOf(running)) {
                if (part.name().equals(waiting.stopAfter())) {
                    running.remove(waiting);
                    Thread thread = new Thread(() -> stop(waiting), "stop-" + waiting.name());
                    thread.start();
                    alongside.add(thread);
                }
            }
        }
        for (Thread thread : alongside) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void stop(Part part) {
        long t0 = System.nanoTime();
        try {
            part.closer().close();
        } catch (Exception e) {
            log.warn("stopping {} failed: {}", part.name(), e.getMessage());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms >= 100) {
            log.info("stopped {} in {} ms", part.name(), ms);
        }
    }

    /** Notes a part that has started, to be stopped after the parts started later. */
    private void started(String name, AutoCloseable part) {
        running.push(new Part(name, part, null));
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void closeWhenStarted(CompletableFuture<? extends AutoCloseable> part)
            throws Exception {
        AutoCloseable started = part.exceptionally(e -> null).join();
        if (started != null) {
            started.close();
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
