package dev.millrace.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode, in this JVM. Connector configs, source offsets and
 * status live in the catalog's compacted {@code millrace.connect-*} topics, so connectors resume
 * where they were after a restart. Plugins are found through the service loader only: scanning a
 * large classpath for plugins costs seconds at every start.
 */
public final class LocalConnect implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalConnect.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(60);

    private final Connect<?> connect;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> deployed = ConcurrentHashMap.newKeySet();

    private LocalConnect(Connect<?> connect, String url) {
        this.connect = connect;
        this.url = url;
    }

    public static LocalConnect start(KafkaSettings kafka, String host, int restPort) {
        Map<String, String> worker = new HashMap<>();
        kafka.clientProperties().forEach((k, v) -> worker.put(k, String.valueOf(v)));
        worker.put("group.id", "millrace-connect");
        worker.put("config.storage.topic", TopicCatalog.CONNECT_CONFIGS.name());
        worker.put("offset.storage.topic", TopicCatalog.CONNECT_OFFSETS.name());
        worker.put("status.storage.topic", TopicCatalog.CONNECT_STATUS.name());
        String replication =
                kafka.replicationFactor() > 0 ? String.valueOf(kafka.replicationFactor()) : "-1";
        worker.put("config.storage.replication.factor", replication);
        worker.put("offset.storage.replication.factor", replication);
        worker.put("status.storage.replication.factor", replication);
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("listeners", "http://" + host + ":" + restPort);
        worker.put("rest.advertised.host.name", host);
        worker.put("rest.advertised.port", String.valueOf(restPort));
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        // After a crash the group waits out its dead self's session before assigning anything:
        // the local broker's minimum, not Connect's 10 s. The heartbeat thread beats five times
        // a session.
        worker.put("session.timeout.ms", String.valueOf(LocalKafka.MIN_SESSION_TIMEOUT_MS));
        worker.put("heartbeat.interval.ms", String.valueOf(LocalKafka.MIN_SESSION_TIMEOUT_MS / 5));
        worker.put("consumer.isolation.level", "read_committed");
        Connect<?> connect = new ConnectDistributed().startConnect(worker);
        return new LocalConnect(connect, "http://" + host + ":" + restPort);
    }

    /**
     * Creates or updates each connector through the worker's REST API; one whose stored config is
     * already the one given is left running as it is (a PUT would restart it). A worker that is
     * still joining its group refuses requests for a while: they are retried.
     */
    public void deploy(Map<String, Map<String, String>> connectors) throws Exception {
        for (Map.Entry<String, Map<String, String>> connector : connectors.entrySet()) {
            String name = connector.getKey();
            URI config = URI.create(url + "/connectors/" + name + "/config");
            Map<String, String> wanted = new HashMap<>(connector.getValue());
            wanted.put("name", name);
            HttpResponse<String> stored =
                    send(name, HttpRequest.newBuilder(config).GET(), Set.of(200, 404));
            if (stored.statusCode() == 200
                    && Json.mapper()
                            .readTree(stored.body())
                            .equals(Json.mapper().valueToTree(wanted))) {
                log.info("connector {} unchanged", name);
            } else {
                send(
                        name,
                        HttpRequest.newBuilder(config)
                                .header("Content-Type", "application/json")
                                .PUT(
                                        HttpRequest.BodyPublishers.ofString(
                                                Json.mapper()
                                                        .writeValueAsString(connector.getValue()))),
                        Set.of(200, 201));
                log.info("connector {} deployed", name);
            }
            deployed.add(name);
        }
    }

    /**
     * Whether the worker refused for the moment only: 409 while it joins its group or catches up
     * with its config topic, and 500 with Connect's {@code RebalanceNeededException} (a read that
     * comes between the two).
     */
    private static boolean momentary(HttpResponse<String> response) {
        return response.statusCode() == 409
                || (response.statusCode() == 500 && response.body().contains("rebalance"));
    }

    /** Sends a request about one connector until it gets one of the answers expected. */
    private HttpResponse<String> send(
            String name, HttpRequest.Builder request, Set<Integer> expected) throws Exception {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (expected.contains(response.statusCode())) {
                return response;
            }
            if (!momentary(response) || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "connector "
                                + name
                                + " refused by the Connect worker ("
                                + built.method()
                                + " "
                                + response.statusCode()
                                + "): "
                                + response.body());
            }
            Thread.sleep(250);
        }
    }

    /** Null when every deployed connector and all its tasks are RUNNING. */
    public String connectorsProblem() throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url + "/connectors?expand=status"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return "worker answered " + response.statusCode();
        }
        JsonNode all = Json.mapper().readTree(response.body());
        List<String> problems = new ArrayList<>();
        for (String name : deployed) {
            JsonNode status = all.path(name).path("status");
            String state = status.path("connector").path("state").asText("MISSING");
            if (!state.equals("RUNNING")) {
                problems.add(name + " " + state + trace(status.path("connector")));
                continue;
            }
            JsonNode tasks = status.path("tasks");
            if (tasks.isEmpty()) {
                problems.add(name + " has no running task");
            }
            for (JsonNode task : tasks) {
                if (!task.path("state").asText().equals("RUNNING")) {
                    problems.add(
                            name
                                    + " task "
                                    + task.path("id").asInt()
                                    + " "
                                    + task.path("state").asText()
                                    + trace(task));
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The first line of a failed connector's or task's trace: its reason. */
    private static String trace(JsonNode status) {
        String trace = status.path("trace").asText("");
        return trace.isEmpty() ? "" : ": " + trace.lines().findFirst().orElse("");
    }

    /**
     * Stops the worker; its connectors' state stays in Kafka. On SIGTERM, Connect's own shutdown
     * hook may already be stopping it, in which case {@code stop()} returns at once: wait for the
     * worker's thread itself to end, so that Kafka is not stopped under its last writes (its
     * producers would then wait out their timeouts, past the stack's stop limit).
     */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
        Future<?> herder = connect.herderTask();
        if (herder != null) {
            try {
                herder.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                log.warn("the Connect worker did not stop cleanly: {}", e.toString());
            }
        }
    }
}
