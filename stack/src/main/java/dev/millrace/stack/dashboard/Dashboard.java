package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.cli.ConsumerLags;
import dev.millrace.json.Json;
import dev.millrace.services.http.Health;
import dev.millrace.services.http.HttpApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard of the local stack, on its HTTP API: the page at {@code /} (static files from
 * the classpath, no script from elsewhere) and its data as Server-Sent Events on {@link #EVENTS}, a
 * snapshot of every view each {@link #TICK}.
 *
 * <p>The data comes from one {@code read_committed} consumer of the pipelines' output topics
 * ({@link DashboardFeed}) and from a sampler that, every {@link #SAMPLE}, checks health, reads the
 * consumer groups' lag and the topics' end offsets through the admin client, and reads the WIS2
 * counters from the meter registry. Everything kept is bounded: the latest items of each list and
 * {@link #SAMPLES} samples of each series. Nothing starts before {@link #start()}, and start-up
 * only launches threads: the stack does not wait for the dashboard.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    public static final String PAGE = "/";
    public static final String ASSETS = "/dashboard/";
    public static final String EVENTS = "/dashboard/events";
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration SAMPLE = Duration.ofSeconds(3);

    /** Samples each series keeps: five minutes. */
    static final int SAMPLES = 100;

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Map<String, String> FILES =
            Map.of(
                    "index.html", "text/html; charset=utf-8",
                    "dashboard.css", "text/css; charset=utf-8",
                    "dashboard.js", "text/javascript; charset=utf-8",
                    "icon.svg", "image/svg+xml");

    /** Scripts, styles and data from this server only. */
    private static final String POLICY =
            "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none';"
                    + " frame-ancestors 'none'; form-action 'none'";

    private final Admin admin;
    private final Health health;
    private final MeterRegistry registry;
    private final Clock clock;
    private final RaceBoard race = new RaceBoard();
    private final CacheBoard cache = new CacheBoard(SAMPLES);
    private final AuditBoard audit = new AuditBoard();
    private final DeadLetterBoard deadLetters;
    private final PipelineBoard pipeline;
    private final DashboardFeed feed;
    private final CountDownLatch closing = new CountDownLatch(1);
    private Thread feedThread;
    private ScheduledExecutorService sampler;
    private List<TopicPartition> partitions = List.of();

    /**
     * @param clientProperties the Kafka client properties of the stack's clients
     * @param engines pipeline to the engine that runs it, as shown
     * @param componentsByGroup consumer group to the component it belongs to
     */
    public Dashboard(
            Map<String, Object> clientProperties,
            Admin admin,
            Health health,
            MeterRegistry registry,
            Map<String, String> engines,
            Map<String, String> componentsByGroup,
            Clock clock) {
        this.admin = admin;
        this.health = health;
        this.registry = registry;
        this.clock = clock;
        List<String> pipelines = List.copyOf(engines.keySet());
        this.deadLetters = new DeadLetterBoard(pipelines);
        this.pipeline = new PipelineBoard(SAMPLES, engines, componentsByGroup);
        this.feed = new DashboardFeed(clientProperties, pipelines, race, cache, audit, deadLetters);
    }

    /** Adds the page, its files and its event stream to {@code http}, before it starts. */
    public void routes(HttpApi http) {
        http.route(PAGE, this::page);
        http.route(ASSETS, this::asset);
        http.stream(EVENTS, this::events);
    }

    /** Starts reading the topics and sampling, in the background. */
    public void start() {
        feedThread = new Thread(feed, "dashboard-feed");
        feedThread.setDaemon(true);
        feedThread.start();
        sampler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "dashboard-sampler");
                            t.setDaemon(true);
                            return t;
                        });
        // The first sample waits a period: the stack's own start-up checks come first.
        sampler.scheduleWithFixedDelay(
                this::sample, SAMPLE.toMillis(), SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long now = clock.millis();
        cache.sample(registry, now);
        try {
            pipeline.health(health.check(), clock.millis());
        } catch (RuntimeException e) {
            log.debug("dashboard health check failed: {}", e.toString());
        }
        try {
            pipeline.ends(endOffsets(), clock.millis());
            pipeline.lags(ConsumerLags.read(admin, ADMIN_TIMEOUT));
        } catch (Exception e) {
            log.debug("dashboard sample of Kafka failed: {}", e.toString());
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        if (partitions.isEmpty()) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(
                                    TopicCatalog.ALL.stream().map(TopicDefinition::name).toList())
                            .allTopicNames()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            partitions =
                    topics.values().stream()
                            .flatMap(
                                    t ->
                                            t.partitions().stream()
                                                    .map(
                                                            p ->
                                                                    new TopicPartition(
                                                                            t.name(),
                                                                            p.partition())))
                            .toList();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest)
                        .all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        ends.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** Every view, as one JSON object. */
    public String snapshot() {
        return snapshot(clock.millis(), race, cache, audit, deadLetters, pipeline).toString();
    }

    /**
     * Every view of the boards at {@code time}, epoch milliseconds: the data of one {@code
     * snapshot} event, whose shape is the schema {@code dashboard/snapshot}.
     */
    static ObjectNode snapshot(
            long time,
            RaceBoard race,
            CacheBoard cache,
            AuditBoard audit,
            DeadLetterBoard deadLetters,
            PipelineBoard pipeline) {
        ObjectNode all = Json.mapper().createObjectNode();
        all.put("time", time);
        all.set("race", race.toJson());
        all.set("wis2", cache.toJson());
        ObjectNode auditView = audit.toJson();
        auditView.put("acceptedPerSecond", pipeline.rate(TopicCatalog.AUDIT_MESSAGES.name()));
        auditView.put("deadLettered", deadLetters.count("audit"));
        all.set("audit", auditView);
        ObjectNode pipelineView = pipeline.toJson();
        pipelineView.set("deadLetters", deadLetters.toJson());
        all.set("pipeline", pipelineView);
        return all;
    }

    private void page(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals(PAGE) && !path.equals(PAGE + "index.html")) {
            notFound(exchange);
            return;
        }
        file(exchange, "index.html");
    }

    private void asset(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(ASSETS.length());
        if (!FILES.containsKey(name)) {
            notFound(exchange);
            return;
        }
        file(exchange, name);
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        if (!List.of("GET", "HEAD").contains(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpApi.send(exchange, 405, "text/plain; charset=utf-8", "GET or HEAD\n");
            return;
        }
        byte[] bytes;
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the dashboard's " + name + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        }
        securityHeaders(exchange);
        exchange.getResponseHeaders().set("Content-Type", FILES.get(name));
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void securityHeaders(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        HttpApi.send(
                exchange,
                404,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}");
    }

    /**
     * Server-Sent Events: a {@code snapshot} event each tick, until the client goes or the
     * dashboard closes. Each write is flushed; a client that has gone fails the next one.
     */
    private void events(HttpExchange exchange) throws IOException {
        securityHeaders(exchange);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        // Nothing follows a stream on its connection: closed with it, it keeps no stop waiting.
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            write(out, "retry: 2000\n\n");
            while (closing.getCount() > 0) {
                write(out, "event: snapshot\ndata: " + snapshot() + "\n\n");
                if (closing.await(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("a dashboard client went: {}", e.toString());
            return;
        }
        out.close();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the event streams, then stops reading and sampling. */
    @Override
    public void close() {
        closing.countDown();
        feed.close();
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (feedThread != null) {
            try {
                feedThread.join(Duration.ofSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
