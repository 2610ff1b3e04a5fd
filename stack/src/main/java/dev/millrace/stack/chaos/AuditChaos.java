package dev.millrace.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.TopicReader;
import dev.millrace.local.TopicTail;
import dev.millrace.pipeline.AuditPipeline;
import dev.millrace.services.audit.IngestService;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.bench.AuditBench;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The audit pipeline's side of a chaos run: clients POST records over HTTP at a steady rate, every
 * 25th large enough to go to S3 first, each with an {@code Idempotency-Key} so that a client whose
 * request failed sends it again until it is accepted; the record's final state on {@code
 * audit.final-state} is the answer. At the end every accepted record must have exactly one final
 * state in Kafka and its payload archived in S3 byte for byte.
 */
final class AuditChaos implements PipelineChaos {
    private static final int CLIENTS = 4;
    private static final int SMALL_BYTES = 2 * 1024;
    private static final int LARGE_BYTES = 700 * 1024;
    private static final Duration GIVE_UP = Duration.ofMinutes(1);

    private final int rate;
    private final String apiKey = "chaos-" + UUID.randomUUID();
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final AtomicLong next = new AtomicLong();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final Acknowledged<String> accepted = new Acknowledged<>();
    private final Map<String, Long> records = new ConcurrentHashMap<>();
    private final Map<String, Integer> finalStates = new ConcurrentHashMap<>();
    private final List<Thread> clients = new ArrayList<>();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private TopicTail tail;
    private long t0;

    AuditChaos(int rate) {
        this.rate = rate;
    }

    @Override
    public String pipeline() {
        return AuditPipeline.NAME;
    }

    @Override
    public Map<String, String> prepare(Path dir) {
        // The run measures faults, not the per-key limit.
        return Map.of(
                AuditSettings.API_KEYS.name(),
                "chaos:" + apiKey,
                AuditSettings.RATE_LIMIT.name(),
                "1000000");
    }

    /** The payload of the {@code n}th record: its own bytes, the same each time. */
    private static byte[] payload(long n) {
        byte[] bytes = new byte[n % 25 == 24 ? LARGE_BYTES : SMALL_BYTES];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    @Override
    public void start(LocalStack stack) throws Exception {
        tail =
                new TopicTail(
                        stack.settings().bootstrapServers(),
                        TopicCatalog.AUDIT_FINAL_STATE.name(),
                        false,
                        r ->
                                finalStates.merge(
                                        new String(r.key(), StandardCharsets.UTF_8),
                                        1,
                                        Integer::sum));
        URI uri = URI.create(stack.settings().httpUrl() + IngestService.PATH);
        t0 = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> post(uri), "chaos-client-" + c);
            client.start();
            clients.add(client);
        }
    }

    /** Takes the next record when it is due and POSTs it until it is accepted. */
    private void post(URI uri) {
        try {
            while (feeding.get()) {
                long n = next.getAndIncrement();
                long wait = t0 + n * 1_000_000_000L / rate - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                byte[] body =
                        AuditBench.requestBody(
                                "ChaosRecord", "millrace-chaos", "chaos-" + n, payload(n));
                String id = postUntilAccepted(uri, body, "chaos-" + n);
                if (id != null) {
                    records.put(id, n);
                    accepted.add(id);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The record's id once accepted; null when refused for good (a 4xx other than 429) or still
     * failing a minute after the feed stopped.
     */
    private String postUntilAccepted(URI uri, byte[] body, String idempotencyKey)
            throws InterruptedException {
        long stoppedAt = 0;
        for (boolean first = true; ; first = false) {
            if (!first) {
                retried.incrementAndGet();
                Thread.sleep(250);
            }
            if (!feeding.get()) {
                stoppedAt = stoppedAt == 0 ? System.nanoTime() : stoppedAt;
                if (System.nanoTime() - stoppedAt > GIVE_UP.toNanos()) {
                    abandoned.incrementAndGet();
                    return null;
                }
            }
            HttpResponse<byte[]> response;
            try {
                response =
                        http.send(
                                HttpRequest.newBuilder(uri)
                                        .header("x-api-key", apiKey)
                                        .header("Content-Type", "application/json")
                                        .header("Idempotency-Key", idempotencyKey)
                                        .timeout(Duration.ofSeconds(30))
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                continue;
            }
            int status = response.statusCode();
            if (status == 202) {
                try {
                    return Json.mapper().readTree(response.body()).path("messageID").asText();
                } catch (IOException e) {
                    throw new IllegalStateException("a receipt that is not JSON", e);
                }
            }
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                refused.incrementAndGet();
                notes.add(
                        idempotencyKey
                                + " refused with "
                                + status
                                + ": "
                                + new String(response.body(), StandardCharsets.UTF_8));
                return null;
            }
        }
    }

    @Override
    public int sent() {
        return accepted.size();
    }

    @Override
    public BooleanSupplier answeredAfter(int sentBefore) {
        String probe = accepted.lastAfter(sentBefore);
        return probe == null ? null : () -> finalStates.containsKey(probe);
    }

    @Override
    public TopicPartitionInfo inputPartition(Admin admin) throws Exception {
        return PipelineChaos.firstPartition(admin, TopicCatalog.AUDIT_MESSAGES.name());
    }

    @Override
    public boolean usesMqtt() {
        return false;
    }

    @Override
    public void stop() throws InterruptedException {
        feeding.set(false);
        for (Thread client : clients) {
            client.join(GIVE_UP.toMillis() + TimeUnit.MINUTES.toMillis(1));
        }
    }

    @Override
    public Verdict verify(LocalStack stack) throws Exception {
        List<String> expected = accepted.snapshot();
        long deadline = System.nanoTime() + ChaosRun.RECOVERY_LIMIT.toNanos();
        while (!finalStates.keySet().containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Map<String, JsonNode> committed = new HashMap<>();
        long twice = 0;
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readSettled(
                        stack.settings().bootstrapServers(),
                        TopicCatalog.AUDIT_FINAL_STATE.name(),
                        Duration.ofMinutes(1))) {
            if (committed.put(
                            new String(r.key(), StandardCharsets.UTF_8),
                            Json.mapper().readTree(r.value()))
                    != null) {
                twice++;
            }
        }
        long finished = expected.stream().filter(committed::containsKey).count();
        long archived = 0;
        for (String id : expected) {
            JsonNode state = committed.get(id);
            if (state != null && archivedRight(stack, state, payload(records.get(id)))) {
                archived++;
            }
        }
        notes.add(
                retried.get()
                        + " POSTs sent again after a failure or an error answer (same"
                        + " Idempotency-Key); "
                        + refused.get()
                        + " refused; "
                        + abandoned.get()
                        + " still failing a minute after the feed stopped");
        boolean passed =
                finished == expected.size()
                        && twice == 0
                        && archived == expected.size()
                        && refused.get() == 0
                        && abandoned.get() == 0;
        return new Verdict(
                List.of(
                        new Row(
                                "records accepted (202)",
                                String.valueOf(expected.size()),
                                expected.size(),
                                expected.size(),
                                0,
                                0),
                        new Row(
                                "final states in Kafka (once)",
                                "",
                                expected.size(),
                                finished,
                                expected.size() - finished,
                                twice),
                        new Row(
                                "archived in S3 (1+)",
                                "",
                                expected.size(),
                                archived,
                                expected.size() - archived,
                                0)),
                notes,
                passed);
    }

    /** Whether the final state says archived, and the archive holds exactly the payload. */
    private static boolean archivedRight(LocalStack stack, JsonNode state, byte[] payload) {
        JsonNode reference = state.at("/storageContext/S3Reference");
        if (!state.at("/storageContext/persistence/S3").asBoolean()) {
            return false;
        }
        try {
            byte[] stored =
                    stack.s3()
                            .getObjectAsBytes(
                                    b ->
                                            b.bucket(reference.path("bucket").asText())
                                                    .key(reference.path("key").asText()))
                            .asByteArray();
            return Arrays.equals(stored, payload);
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        feeding.set(false);
        if (tail != null) {
            tail.close();
        }
    }
}
