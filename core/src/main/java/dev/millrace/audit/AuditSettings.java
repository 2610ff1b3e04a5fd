package dev.millrace.audit;

import dev.millrace.catalog.Buckets;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.time.Duration;
import java.util.List;

/** Settings of the audit pipeline: its HTTP ingest and where its payloads are kept. */
public record AuditSettings(
        List<String> apiKeys,
        int rateLimit,
        long maxBody,
        long maxPayload,
        long inlineMax,
        Duration ackTimeout,
        String stagingBucket,
        String archiveBucket,
        String failureBucket,
        Duration retention,
        Compat compat,
        List<String> corsOrigins) {

    /** Whose API the HTTP ingest answers as, and whose shapes the outputs carry besides ours. */
    public enum Compat {
        /** millrace's own: 202 and RFC 9457 problem+json. */
        NONE,
        /** The AWS large-audit-record sample's API Gateway, and its documents' fields. */
        AWS_SAMPLE
    }

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
                    9L * 1024 * 1024,
                    1024,
                    "Hard cap on a request body; over it, or over what a payload of"
                            + " audit.max-payload needs once base64-encoded in lines: 413.");
    public static final ConfigKey<Long> MAX_PAYLOAD =
            ConfigKey.bytes(
                    "audit.max-payload",
                    6L * 1024 * 1024,
                    1,
                    "Largest payload accepted, decoded (as archived); over it: 413.");
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

    public static final ConfigKey<String> ARCHIVE_BUCKET =
            ConfigKey.string(
                    "audit.archive-bucket",
                    Buckets.AUDIT_ARCHIVE,
                    "Where the S3 sink archives each payload, at YYYY/MM/DD/HH/MM/SS/<messageID>"
                            + " from messageMetaData.dateTime (UTC).");
    public static final ConfigKey<String> FAILURE_BUCKET =
            ConfigKey.string(
                    "audit.failure-bucket",
                    Buckets.AUDIT_FAILED,
                    "Where a record that cannot be archived is salvaged whole, at"
                            + " <topic>/<partition>/<offset>, before it is dead-lettered.");

    public static final ConfigKey<Duration> RETENTION =
            ConfigKey.duration(
                    "audit.retention",
                    Duration.ofDays(7),
                    Duration.ofMinutes(1),
                    "How long the workflow remembers a finished message's payload digest, so"
                            + " that a retried record is not processed twice (stream time).");

    public static final ConfigKey<Compat> COMPAT =
            ConfigKey.choice(
                    "audit.compat",
                    Compat.class,
                    Compat.NONE,
                    "aws-sample: the HTTP API answers as the AWS large-audit-record sample's API"
                            + " Gateway does (200 {messageID}, 403, 429, 413 bodies) and the"
                            + " metadata, final state and events also carry the sample's fields.");
    public static final ConfigKey<List<String>> CORS_ORIGINS =
            ConfigKey.list(
                    "audit.cors-origins",
                    List.of(),
                    "Origins browsers may call the HTTP API from (CORS), comma-separated, or *."
                            + " Empty: none.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            API_KEYS,
                            RATE_LIMIT,
                            MAX_BODY,
                            MAX_PAYLOAD,
                            INLINE_MAX,
                            ACK_TIMEOUT,
                            STAGING_BUCKET,
                            ARCHIVE_BUCKET,
                            FAILURE_BUCKET,
                            RETENTION,
                            COMPAT,
                            CORS_ORIGINS));

    public static AuditSettings from(Config config) {
        return new AuditSettings(
                config.get(API_KEYS),
                config.get(RATE_LIMIT),
                config.get(MAX_BODY),
                config.get(MAX_PAYLOAD),
                config.get(INLINE_MAX),
                config.get(ACK_TIMEOUT),
                config.get(STAGING_BUCKET),
                config.get(ARCHIVE_BUCKET),
                config.get(FAILURE_BUCKET),
                config.get(RETENTION),
                config.get(COMPAT),
                config.get(CORS_ORIGINS));
    }

    /**
     * The largest body a payload of {@link #maxPayload} can need: base64 in lines of 76 characters
     * ending in an escaped CRLF inside the JSON string, and 64 KiB of metadata; never more than
     * {@link #maxBody}.
     */
    public long bodyLimit() {
        long base64 = (maxPayload + 2) / 3 * 4;
        long lineBreaks = base64 / 76 * 4;
        return Math.min(maxBody, base64 + lineBreaks + 64 * 1024);
    }

    public boolean awsSample() {
        return compat == Compat.AWS_SAMPLE;
    }

    public AuditSettings withApiKeys(List<String> keys) {
        return new AuditSettings(
                keys,
                rateLimit,
                maxBody,
                maxPayload,
                inlineMax,
                ackTimeout,
                stagingBucket,
                archiveBucket,
                failureBucket,
                retention,
                compat,
                corsOrigins);
    }

    @Override
    public String toString() {
        return "AuditSettings[apiKeys="
                + apiKeys.size()
                + " keys, rateLimit="
                + rateLimit
                + ", maxBody="
                + maxBody
                + ", maxPayload="
                + maxPayload
                + ", inlineMax="
                + inlineMax
                + ", ackTimeout="
                + ackTimeout
                + ", stagingBucket="
                + stagingBucket
                + ", archiveBucket="
                + archiveBucket
                + ", failureBucket="
                + failureBucket
                + ", retention="
                + retention
                + ", compat="
                + compat
                + ", corsOrigins="
                + corsOrigins
                + "]";
    }
}
