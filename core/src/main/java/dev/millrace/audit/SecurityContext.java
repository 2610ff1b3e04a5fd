package dev.millrace.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What the service knows of a request for itself, never taken from the body.
 *
 * @param apiKeyId the id of the API key used, not the key
 * @param sourceIp the client's address
 * @param userAgent the User-Agent header, empty when absent
 * @param receivedTime when the service received the request
 * @param payloadSha256 SHA-256 of the payload bytes as stored, lower-case hex
 */
public record SecurityContext(
        String apiKeyId,
        String sourceIp,
        String userAgent,
        Instant receivedTime,
        String payloadSha256) {

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
                sha256Hex(payload));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
