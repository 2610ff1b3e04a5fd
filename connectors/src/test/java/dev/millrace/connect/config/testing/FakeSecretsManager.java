package dev.millrace.connect.config.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secrets Manager's {@code GetSecretValue} on a free loopback port, as the AWS JSON 1.1 protocol
 * speaks it: {@code POST /} with {@code X-Amz-Target: secretsmanager.GetSecretValue} and {@code
 * {"SecretId": ...}}, answered with the secret or with HTTP 400 and a {@code
 * ResourceNotFoundException}. It records the id of every request it gets and the access key id that
 * signed it.
 */
public final class FakeSecretsManager implements AutoCloseable {
    public static final String REGION = "eu-west-1";
    public static final String ACCOUNT = "123456789012";

    private static final String JSON_1_1 = "application/x-amz-json-1.1";

    private final HttpServer server;
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final List<String> requestedIds = new CopyOnWriteArrayList<>();
    private final List<String> signers = new CopyOnWriteArrayList<>();

    private record Secret(String name, String arn, String text) {}

    private FakeSecretsManager(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeSecretsManager start() throws IOException {
        return new FakeSecretsManager(
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stores a secret's text under its name and its ARN, which it returns. */
    public String put(String name, String text) {
        String arn =
                "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-AbCdEf";
        Secret secret = new Secret(name, arn, text);
        secrets.put(name, secret);
        secrets.put(arn, secret);
        return arn;
    }

    /** The {@code SecretId} of every request so far, in order. */
    public List<String> requestedIds() {
        return List.copyOf(requestedIds);
    }

    /** The access key id in each request's signature. */
    public List<String> signers() {
        return List.copyOf(signers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"/".equals(exchange.getRequestURI().getPath())
                    || !"secretsmanager.GetSecretValue".equals(target)) {
                error(exchange, 400, "UnknownOperationException", "unexpected " + target);
                return;
            }
            signers.add(accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")));
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody());
            String id = body.path("SecretId").asText();
            requestedIds.add(id);
            Secret secret = secrets.get(id);
            if (secret == null) {
                error(
                        exchange,
                        400,
                        "ResourceNotFoundException",
                        "Secrets Manager can't find the specified secret.");
                return;
            }
            ObjectNode answer = Json.mapper().createObjectNode();
            answer.put("ARN", secret.arn());
            answer.put("Name", secret.name());
            answer.put("VersionId", "b1c2d3e4-0000-4000-8000-000000000001");
            answer.put("SecretString", secret.text());
            answer.putArray("VersionStages").add("AWSCURRENT");
            answer.put("CreatedDate", 1.7639e9);
            send(exchange, 200, answer);
        }
    }

    /** {@code AWS4-HMAC-SHA256 Credential=<key id>/<date>/...}: the key id. */
    private static String accessKeyId(String authorization) {
        if (authorization == null || !authorization.contains("Credential=")) {
            return "";
        }
        String credential = authorization.substring(authorization.indexOf("Credential=") + 11);
        return credential.substring(0, credential.indexOf('/'));
    }

    private static void error(HttpExchange exchange, int status, String type, String message)
            throws IOException {
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("__type", type);
        answer.put("message", message);
        send(exchange, status, answer);
    }

    private static void send(HttpExchange exchange, int status, JsonNode answer)
            throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", JSON_1_1);
        exchange.getResponseHeaders()
                .set("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
