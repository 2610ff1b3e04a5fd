package dev.millrace.audit;

import dev.millrace.catalog.Buckets;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.time.Duration;
import java.util.List;

/** Settings of the audit pipeline's HTTP ingest. */
public record AuditSettings(
        List<String> apiKeys,
        int rateLimit,
        long maxBody,
        long inlineMax,
        Duration ackTimeout,
        String stagingBucket) {

    public static final ConfigKey<List<String>> API_KEYS =
            ConfigKey.list(
                    "audit.api-keys",
                    List.of(),
                    "API keys accepted in x-api-key, comma-separated, each id:key or a bare key;"
                            + " set them through the environment. Empty: the local stack makes one"
                            + " up and prints it.");
    public static final ConfigKey<Integer> RATE_LIMIT =
            ConfigKey.integer(
                    "audit.rate-limit",
                    200,
                    1,
                    1_000_000,
                    "Requests a second per API key (token bucket, burst = rate); over it: 429.");
    public static final ConfigKey<Long> MAX_BODY =
            ConfigKey.bytes(
                    "audit.max-body",
                    6L * 1024 * 1024,
                    1024,
                    "Largest request body accepted; over it: 413.");
    public static final ConfigKey<Long> INLINE_MAX =
            ConfigKey.bytes(
                    "audit.inline-max",
                    512L * 1024,
                    0,
                    "Payloads larger than this go to S3 first and the Kafka record carries a claim"
                            + " check.");
    public static final ConfigKey<Duration> ACK_TIMEOUT =
            ConfigKey.duration(
                    "audit.ack-timeout",
                    Duration.ofSeconds(10),
                    Duration.ofMillis(100),
                    "How long a request waits for Kafka's acks=all; past it: 503.");
    public static final ConfigKey<String> STAGING_BUCKET =
            ConfigKey.string(
                    "audit.staging-bucket",
                    Buckets.AUDIT_STAGING,
                    "Where payloads over audit.inline-max are written before their record.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            API_KEYS,
                            RATE_LIMIT,
                            MAX_BODY,
                            INLINE_MAX,
                            ACK_TIMEOUT,
                            STAGING_BUCKET));

    public static AuditSettings from(Config config) {
        return new AuditSettings(
                config.get(API_KEYS),
                config.get(RATE_LIMIT),
                config.get(MAX_BODY),
                config.get(INLINE_MAX),
                config.get(ACK_TIMEOUT),
                config.get(STAGING_BUCKET));
    }

    public AuditSettings withApiKeys(List<String> keys) {
        return new AuditSettings(keys, rateLimit, maxBody, inlineMax, ackTimeout, stagingBucket);
    }

    @Override
    public String toString() {
        return "AuditSettings[apiKeys="
                + apiKeys.size()
                + " keys, rateLimit="
                + rateLimit
                + ", maxBody="
                + maxBody
                + ", inlineMax="
                + inlineMax
                + ", ackTimeout="
                + ackTimeout
                + ", stagingBucket="
                + stagingBucket
                + "]";
    }
}
