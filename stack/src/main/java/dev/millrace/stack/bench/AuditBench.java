package dev.millrace.stack.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.json.Json;
import dev.millrace.local.TopicTail;
import dev.millrace.services.audit.IngestService;
import dev.millrace.stack.LocalStackSettings;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients POST audit records to the stack's ingest for a while; every receipt is timed,
 * and so is each message's way from its POST to its final state on {@code audit.final-state}
 * (read_committed), through the S3 archive and the workflow.
 */
public final class AuditBench {
    private static final Duration DRAIN = Duration.ofSeconds(120);

    /** One round's figures. */
    public record Round(
            long payloadBytes,
            int clients,
            double seconds,
            int accepted,
            int refused,
            double acceptedPerSecond,
            double megabytesPerSecond,
            double receiptP50Ms,
            double receiptP99Ms,
            int finished,
            double finalStateP50Ms,
            double finalStateP99Ms) {

        ObjectNode json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("payloadBytes", payloadBytes);
            o.put("clients", clients);
            o.put("accepted", accepted);
            o.put("refused", refused);
            o.put("acceptedPerSecond", Math.round(acceptedPerSecond * 10) / 10.0);
            o.put("megabytesPerSecond", Math.round(megabytesPerSecond * 10) / 10.0);
            o.put("receiptP50Ms", Math.round(receiptP50Ms * 10) / 10.0);
            o.put("receiptP99Ms", Math.round(receiptP99Ms * 10) / 10.0);
            o.put("finalStates", finished);
            o.put("postToFinalStateP50Ms", Math.round(finalStateP50Ms));
            o.put("postToFinalStateP99Ms", Math.round(finalStateP99Ms));
            return o;
        }
    }

    private final LocalStackSettings settings;
    private final String apiKey;
    private final PrintStream progress;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    public AuditBench(LocalStackSettings settings, String apiKey, PrintStream progress) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.progress = progress;
    }

    public static String json(List<Round> rounds) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("pipeline", "audit");
        var array = o.putArray("rounds");
        rounds.forEach(r -> array.add(r.json()));
        return o.toString();
    }

    /**
     * The body of a POST to the ingest: the metadata the API requires and {@code payload} as
     * base64, the way benches and fault runs send records.
     */
    public static byte[] requestBody(
            String messageType, String sourceSystemId, String transactionId, byte[] payload) {
        return ("{\"messageMetaData\": {\"messageType\": \""
                        + messageType
                        + "\", \"sourceSystemID\": \""
                        + sourceSystemId
                        + "\", \"sourceTransactionID\": \""
                        + transactionId
                        + "\", \"dateTime\": \"2026-11-23T12:00:00Z\"}, \"messagePayload\": \""
                        + Base64.getEncoder().encodeToString(payload)
                        + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code clients} clients POST records of {@code payloadBytes} for {@code seconds}. */
    public Round run(int clients, long payloadBytes, int seconds) throws Exception {
        byte[] payload = new byte[(int) payloadBytes];
        new Random(payloadBytes).nextBytes(payload);
        byte[] body = requestBody("BenchRecord", "millrace-bench", "bench", payload);
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        Map<String, Long> finishedAt = new ConcurrentHashMap<>();
        TopicTail watcher =
                new TopicTail(
                        settings.bootstrapServers(),
                        TopicCatalog.AUDIT_FINAL_STATE.name(),
                        true,
                        r ->
                                finishedAt.putIfAbsent(
                                        new String(r.key(), StandardCharsets.UTF_8),
                                        System.nanoTime()));

        AtomicLong refused = new AtomicLong();
        List<long[]> receipts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> client(body, end, postedAt, refused)));
        }
        Progress bar =
                new Progress(
                        progress,
                        "POST " + payloadBytes / 1024 + " KiB records, " + clients + " clients (s)",
                        seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            bar.update(Math.min(seconds, (System.nanoTime() - start) / 1_000_000_000L));
        }
        bar.done("posted for " + seconds + " s");
        for (Future<long[]> f : futures) {
            receipts.add(f.get());
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] receipt =
                receipts.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();

        long drainEnd = System.nanoTime() + DRAIN.toNanos();
        while (!finishedAt.keySet().containsAll(postedAt.keySet())
                && System.nanoTime() < drainEnd) {
            Thread.sleep(100);
        }
        watcher.close();
        long[] toFinal =
                postedAt.entrySet().stream()
                        .filter(e -> finishedAt.containsKey(e.getKey()))
                        .mapToLong(e -> finishedAt.get(e.getKey()) - e.getValue())
                        .sorted()
                        .toArray();
        return new Round(
                payloadBytes,
                clients,
                elapsed,
                receipt.length,
                (int) refused.get(),
                receipt.length / elapsed,
                receipt.length * (double) payloadBytes / elapsed / (1024 * 1024),
                Percentiles.of(receipt, 0.50) / 1e6,
                Percentiles.of(receipt, 0.99) / 1e6,
                toFinal.length,
                Percentiles.of(toFinal, 0.50) / 1e6,
                Percentiles.of(toFinal, 0.99) / 1e6);
    }

    /** POSTs until the end; returns the receipt latency of every accepted record, in ns. */
    private long[] client(byte[] body, long end, Map<String, Long> postedAt, AtomicLong refused)
            throws Exception {
        URI uri = URI.create(settings.httpUrl() + IngestService.PATH);
        List<Long> latencies = new ArrayList<>();
        while (System.nanoTime() < end) {
            HttpRequest request =
                    HttpRequest.newBuilder(uri)
                            .header("x-api-key", apiKey)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
            long sent = System.nanoTime();
            HttpResponse<byte[]> response =
                    http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long received = System.nanoTime();
            if (response.statusCode() != 202) {
                refused.incrementAndGet();
                continue;
            }
            latencies.add(received - sent);
            String id = Json.mapper().readTree(response.body()).get("messageID").asText();
            postedAt.put(id, sent);
        }
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }
}
