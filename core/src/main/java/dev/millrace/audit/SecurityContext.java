package dev.millrace.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What the service knows of a request for itself, never taken from the body.
 *
 * @param apiKeyId the id of the API key used, not the key
 * @param sourceIp the client's address
 * @param userAgent the User-Agent header, empty when absent
 * @param receivedTime when the service received the request
 * @param payloadSha256 SHA-256 of the payload bytes as stored, lower-case hex
 * @param requestContext with {@code audit.compat=aws-sample}, the same facts nested as the AWS
 *     sample stores API Gateway's Lambda proxy request context; otherwise null, and left out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityContext(
        String apiKeyId,
        String sourceIp,
        String userAgent,
        Instant receivedTime,
        String payloadSha256,
        ObjectNode requestContext) {

    /** API Gateway's {@code requestTime}: {@code 03/Jul/2021:16:21:12 +0000}. */
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    public static SecurityContext of(
            String apiKeyId,
            String sourceIp,
            String userAgent,
            Instant receivedTime,
            byte[] payload) {
        return new SecurityContext(
                apiKeyId,
                sourceIp,
                userAgent == null ? "" : userAgent,
                receivedTime,
                sha256Hex(payload),
                null);
    }

    /**
     * This context with the AWS sample's nesting beside the flat fields: {@code
     * requestContext.AWSRequestID} and {@code requestContext.requestContext.{httpMethod, path,
     * stage, requestId, requestTime, requestTimeEpoch, identity.{sourceIp, userAgent, apiKeyId}}}.
     */
    public SecurityContext withAwsRequestContext(String requestId, String method, String path) {
        ObjectNode outer = Json.mapper().createObjectNode();
        outer.put("AWSRequestID", requestId);
        ObjectNode inner = outer.putObject("requestContext");
        inner.put("httpMethod", method);
        inner.put("path", path);
        inner.put("stage", "millrace");
        inner.put("requestId", requestId);
        inner.put("requestTime", REQUEST_TIME.format(receivedTime));
        inner.put("requestTimeEpoch", receivedTime.toEpochMilli());
        ObjectNode identity = inner.putObject("identity");
        identity.put("sourceIp", sourceIp);
        identity.put("userAgent", userAgent);
        identity.put("apiKeyId", apiKeyId);
        return new SecurityContext(
                apiKeyId, sourceIp, userAgent, receivedTime, payloadSha256, outer);
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
