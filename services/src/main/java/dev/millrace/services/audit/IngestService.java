package dev.millrace.services.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.audit.ApiKeys;
import dev.millrace.audit.AuditRecord;
import dev.millrace.audit.AuditRequest;
import dev.millrace.audit.AuditSettings;
import dev.millrace.audit.BadRequestException;
import dev.millrace.audit.MessageIds;
import dev.millrace.audit.MetadataLookup;
import dev.millrace.audit.PayloadTooLargeException;
import dev.millrace.audit.SecurityContext;
import dev.millrace.audit.TokenBucket;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code POST /v1/messages}: takes an audit record and answers {@code 202 {"messageID"}} only once
 * Kafka has it with acks=all. A payload over {@code audit.inline-max} is written to S3 first and
 * the record carries a claim check, so large records never meet Kafka's record size limit. Errors
 * are RFC 9457 problem+json; nothing is acknowledged that is not stored.
 *
 * <p>{@code GET /v1/messages/{messageID}} answers with the message's persisted metadata and state.
 *
 * <p>With an {@code Idempotency-Key} the id is derived from the key, and a retry that finds its
 * message already taken (recently by this instance, or persisted) gets the same id without a second
 * write; a retry with another body gets 422.
 */
public final class IngestService implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    public static final String PATH = "/v1/messages";

    /** The AWS sample's resource, served too with {@code audit.compat=aws-sample}. */
    public static final List<String> SAMPLE_PATHS =
            List.of("/ingestMessage", "/Prod/ingestMessage");

    private final AuditSettings settings;
    private final ApiKeys keys;
    private final Producer<byte[], byte[]> producer;
    private final S3Client s3;
    private final String topic;
    private final Clock clock;

    /** The clock's time in nanoseconds, for the rate limit: a test's fixed clock never refills. */
    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final MetadataLookup metadata;
    private final RecentMessages recent = new RecentMessages(100_000);

    public IngestService(
            AuditSettings settings,
            Producer<byte[], byte[]> producer,
            S3Client s3,
            String topic,
            MetadataLookup metadata,
            Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.keys = ApiKeys.parse(settings.apiKeys());
        this.producer = producer;
        this.s3 = s3;
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } catch (RuntimeException e) {
            log.warn("ingest failed: {}", e.toString());
            problem(exchange, 500, "Internal error", "the request could not be handled");
        } finally {
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String messageId = null;
        if (path.startsWith(PATH + "/") && path.indexOf('/', PATH.length() + 1) < 0) {
            messageId = path.substring(PATH.length() + 1);
        }
        boolean post = path.equals(PATH) || (settings.awsSample() && SAMPLE_PATHS.contains(path));
        if (!post && (messageId == null || messageId.isEmpty())) {
            problem(exchange, 404, "Not found", "no resource " + path);
            return;
        }
        boolean allowedOrigin = cors(exchange);
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            preflight(
                    exchange, allowedOrigin, messageId == null ? "POST, OPTIONS" : "GET, OPTIONS");
            return;
        }
        String allowed = messageId == null ? "POST" : "GET";
        if (!exchange.getRequestMethod().equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            problem(exchange, 405, "Method not allowed", "use " + allowed + " " + path);
            return;
        }
        var keyId = keys.idOf(exchange.getRequestHeaders().getFirst("x-api-key"));
        if (keyId.isEmpty()) {
            problem(exchange, 401, "Unauthorized", "a valid x-api-key header is required");
            return;
        }
        TokenBucket bucket =
                buckets.computeIfAbsent(
                        keyId.get(), k -> new TokenBucket(settings.rateLimit(), nanos()));
        if (!bucket.tryAcquire(nanos())) {
            exchange.getResponseHeaders()
                    .set("Retry-After", String.valueOf(bucket.secondsUntilNext()));
            problem(
                    exchange,
                    429,
                    "Too many requests",
                    "over audit.rate-limit (" + settings.rateLimit() + " requests a second)");
            return;
        }
        if (messageId != null) {
            get(exchange, messageId);
            return;
        }
        accept(exchange, keyId.get());
    }

    private void get(HttpExchange exchange, String messageId) throws IOException {
        if (metadata == null) {
            problem(exchange, 503, "Service unavailable", "this instance has no metadata store");
            return;
        }
        Optional<JsonNode> found;
        try {
            found = metadata.find(messageId);
        } catch (IllegalStateException e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            problem(exchange, 503, "Service unavailable", e.getMessage());
            return;
        }
        if (found.isEmpty()) {
            problem(
                    exchange,
                    404,
                    "Not found",
                    "no metadata is persisted for messageID "
                            + messageId
                            + " (unknown, or still being archived)");
            return;
        }
        send(exchange, 200, "application/json", Json.mapper().writeValueAsBytes(found.get()));
    }

    private void accept(HttpExchange exchange, String keyId) throws IOException {
        AuditRequest request;
        try {
            request =
                    AuditRequest.parse(
                            new LimitedBody(exchange.getRequestBody(), settings.bodyLimit()),
                            settings.maxPayload());
        } catch (LimitedBody.OverLimit e) {
            problem(
                    exchange,
                    413,
                    "Content too large",
                    "the body is over "
                            + settings.bodyLimit()
                            + " bytes: what a payload of audit.max-payload ("
                            + settings.maxPayload()
                            + " bytes) needs as base64, within audit.max-body");
            return;
        } catch (BadRequestException e) {
            problem(exchange, 400, "Bad request", e.getMessage());
            return;
        } catch (PayloadTooLargeException e) {
            problem(exchange, 413, "Content too large", e.getMessage());
            return;
        }
        String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        String messageId = MessageIds.forRequest(keyId, idempotencyKey).toString();
        SecurityContext context =
                SecurityContext.of(
                        keyId,
                        exchange.getRemoteAddress().getAddress().getHostAddress(),
                        exchange.getRequestHeaders().getFirst("User-Agent"),
                        clock.instant(),
                        request.payload());
        if (settings.awsSample()) {
            context =
                    context.withAwsRequestContext(
                            UUID.randomUUID().toString(),
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath());
        }
        boolean retryable = idempotencyKey != null && !idempotencyKey.isBlank();
        if (retryable) {
            RecentMessages.Taken taken = takenBefore(messageId);
            if (taken != null) {
                if (taken.sameAs(request.metaData(), context.payloadSha256())) {
                    accepted(exchange, messageId);
                } else {
                    problem(
                            exchange,
                            422,
                            "Unprocessable content",
                            "Idempotency-Key '"
                                    + idempotencyKey
                                    + "' was used for another request body (messageID "
                                    + messageId
                                    + ")");
                }
                return;
            }
        }
        String staged = null;
        AuditRecord.Payload payload;
        if (request.payload().length > settings.inlineMax()) {
            staged = "staging/" + messageId;
            String key = staged;
            s3.putObject(
                    b ->
                            b.bucket(settings.stagingBucket())
                                    .key(key)
                                    .contentType(request.contentType()),
                    RequestBody.fromBytes(request.payload()));
            payload =
                    AuditRecord.Payload.staged(
                            request.contentType(),
                            request.payload().length,
                            settings.stagingBucket(),
                            key);
        } else {
            payload = AuditRecord.Payload.inline(request.contentType(), request.payload().length);
        }
        byte[] record =
                AuditRecord.of(messageId, request.metaData(), context, payload)
                        .toJson(request.payload());
        try {
            producer.send(
                            new ProducerRecord<>(
                                    topic, messageId.getBytes(StandardCharsets.UTF_8), record))
                    .get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unstage(staged);
            problem(exchange, 503, "Service unavailable", "interrupted before Kafka acknowledged");
            return;
        } catch (ExecutionException | TimeoutException e) {
            unstage(staged);
            problem(
                    exchange,
                    503,
                    "Service unavailable",
                    "Kafka did not acknowledge the record within audit.ack-timeout ("
                            + settings.ackTimeout().toMillis()
                            + " ms); nothing was stored");
            return;
        }
        if (retryable) {
            recent.put(messageId, request.metaData(), context.payloadSha256());
        }
        accepted(exchange, messageId);
    }

    /** The request already stored under this id, if this instance or the metadata knows it. */
    private RecentMessages.Taken takenBefore(String messageId) {
        RecentMessages.Taken taken = recent.get(messageId);
        if (taken != null || metadata == null) {
            return taken;
        }
        Optional<JsonNode> persisted;
        try {
            persisted = metadata.find(messageId);
        } catch (IllegalStateException e) {
            // The store is still loading: the workflow drops a second record with the same body.
            return null;
        }
        return persisted
                .map(
                        node ->
                                new RecentMessages.Taken(
                                        node.get("messageMetaData"),
                                        node.at("/messageSecurityContext/payloadSha256").asText()))
                .orElse(null);
    }

    /**
     * The receipt: 202 with the message id; as the AWS sample's API answers, 200 with the id
     * written as Python writes it and the sample's CORS headers.
     */
    private void accepted(HttpExchange exchange, String messageId) throws IOException {
        if (settings.awsSample()) {
            var headers = exchange.getResponseHeaders();
            headers.set("Access-Control-Allow-Headers", "Content-Type");
            headers.set("Access-Control-Allow-Origin", "*");
            headers.set("Access-Control-Allow-Methods", "OPTIONS,POST");
            send(
                    exchange,
                    200,
                    "application/json",
                    ("{\"messageID\": \"" + messageId + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] accepted =
                Json.mapper()
                        .writeValueAsBytes(
                                Json.mapper().createObjectNode().put("messageID", messageId));
        send(exchange, 202, "application/json", accepted);
    }

    /**
     * Adds the CORS headers when the request comes from an origin in {@code audit.cors-origins};
     * returns whether it does.
     */
    private boolean cors(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        List<String> allowed = settings.corsOrigins();
        if (origin == null || allowed.isEmpty()) {
            return false;
        }
        boolean any = allowed.contains("*");
        if (!any && !allowed.contains(origin)) {
            return false;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Access-Control-Allow-Origin", any ? "*" : origin);
        headers.set("Vary", "Origin");
        headers.set("Access-Control-Expose-Headers", "Retry-After");
        return true;
    }

    /** An {@code OPTIONS} preflight: what a browser may send from an allowed origin. */
    private void preflight(HttpExchange exchange, boolean allowedOrigin, String methods)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Allow", methods);
        if (allowedOrigin) {
            headers.set("Access-Control-Allow-Methods", methods);
            headers.set("Access-Control-Allow-Headers", "Content-Type, x-api-key, Idempotency-Key");
            headers.set("Access-Control-Max-Age", "600");
        }
        drain(exchange);
        exchange.sendResponseHeaders(204, -1);
    }

    /**
     * Reads what is left of the request body, up to a bound, so that a client refused before its
     * upload ended (401, 429) reads the answer instead of a reset connection.
     */
    private void drain(HttpExchange exchange) {
        long bound = 4 * settings.maxBody();
        byte[] sink = new byte[64 * 1024];
        try {
            InputStream in = exchange.getRequestBody();
            long dropped = 0;
            int n;
            while (dropped < bound && (n = in.read(sink)) > 0) {
                dropped += n;
            }
        } catch (IOException e) {
            // The client went away: there is no one left to answer.
        }
    }

    /** A record that never made it must not leave its payload behind. */
    private void unstage(String key) {
        if (key == null) {
            return;
        }
        try {
            s3.deleteObject(b -> b.bucket(settings.stagingBucket()).key(key));
        } catch (RuntimeException e) {
            log.warn("could not remove staged payload {}: {}", key, e.getMessage());
        }
    }

    private void problem(HttpExchange exchange, int status, String title, String detail)
            throws IOException {
        drain(exchange);
        if (settings.awsSample()) {
            gatewayError(exchange, status, detail);
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", exchange.getRequestURI().getPath());
        send(exchange, status, "application/problem+json", Json.mapper().writeValueAsBytes(body));
    }

    /**
     * An error as the AWS sample's API Gateway answers it: its status and {@code {"message"}} for a
     * missing or unknown key (403 Forbidden), an unknown resource or method (403 Missing
     * Authentication Token), throttling (429) and a body too long for its Lambda (413); any other
     * error keeps its status with its reason as the message.
     */
    private static void gatewayError(HttpExchange exchange, int status, String detail)
            throws IOException {
        String message;
        String type;
        int answer = status;
        switch (status) {
            case 401 -> {
                answer = 403;
                message = "Forbidden";
                type = "ForbiddenException";
            }
            case 404, 405 -> {
                answer = 403;
                message = "Missing Authentication Token";
                type = "MissingAuthenticationTokenException";
            }
            case 413 -> {
                message = "Request Too Long";
                type = "BadRequestException";
            }
            case 429 -> {
                message = "Too Many Requests";
                type = "TooManyRequestsException";
            }
            default -> {
                message = detail;
                type = null;
            }
        }
        if (type != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        }
        send(
                exchange,
                answer,
                "application/json",
                Json.mapper()
                        .writeValueAsBytes(
                                Json.mapper().createObjectNode().put("message", message)));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
