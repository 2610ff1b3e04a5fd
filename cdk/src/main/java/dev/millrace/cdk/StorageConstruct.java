package dev.millrace.cdk;

import dev.millrace.audit.AuditSettings;
import dev.millrace.config.ConfigKey;
import dev.millrace.wis2.Wis2Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.SecurityPolicyProtocol;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The buckets the pipelines write, each under the config key that names it: the wis2 cache (objects
 * expire after the cache retention, at least a day, and anyone may download them over HTTPS through
 * CloudFront), the audit archive (SSE-KMS, versioned), the audit staging bucket (short expiry) and
 * the failure bucket. Every bucket blocks public access, refuses plain HTTP and logs access to the
 * log bucket.
 */
public final class StorageConstruct extends Construct {
    private final Key key;
    private final Bucket logs;
    private final Map<String, Bucket> byKey = new LinkedHashMap<>();
    private final Distribution cdn;

    public StorageConstruct(Construct scope, String id, EnvironmentConfig env, Key key) {
        super(scope, id);
        this.key = key;
        RemovalPolicy removal = env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        logs =
                Bucket.Builder.create(this, "AccessLogs")
                        // Server access logs and CloudFront logs cannot be delivered to SSE-KMS.
                        .encryption(BucketEncryption.S3_MANAGED)
                        .enforceSsl(true)
                        .versioned(true)
                        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                        // CloudFront standard logs are written with ACLs.
                        .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                        .lifecycleRules(
                                List.of(
                                        LifecycleRule.builder()
                                                .id("expire-logs")
                                                .expiration(Duration.days(90))
                                                .noncurrentVersionExpiration(Duration.days(7))
                                                .build()))
                        .removalPolicy(removal)
                        .build();

        Bucket cache =
                bucket(
                        "Wis2Cache",
                        // Public data served through CloudFront: S3-managed keys keep it readable
                        // by the distribution without a KMS grant per request.
                        BucketEncryption.S3_MANAGED,
                        false,
                        List.of(
                                LifecycleRule.builder()
                                        .id("cache-retention")
                                        .expiration(
                                                Duration.days(
                                                        Math.max(1, env.cacheRetentionDays())))
                                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                        .build()),
                        removal);
        byKey.put(Wis2Settings.CACHE_BUCKET.name(), cache);
        cdn =
                Distribution.Builder.create(this, "Wis2CacheCdn")
                        .comment(env.prefix() + " WIS2 Global Cache downloads")
                        .defaultBehavior(
                                BehaviorOptions.builder()
                                        .origin(S3BucketOrigin.withOriginAccessControl(cache))
                                        .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                                        .build())
                        .httpVersion(HttpVersion.HTTP2_AND_3)
                        .priceClass(PriceClass.PRICE_CLASS_100)
                        .minimumProtocolVersion(SecurityPolicyProtocol.TLS_V1_2_2021)
                        .enableLogging(true)
                        .logBucket(logs)
                        .logFilePrefix("cdn/")
                        .build();

        byKey.put(
                AuditSettings.ARCHIVE_BUCKET.name(),
                bucket(
                        "AuditArchive",
                        BucketEncryption.KMS,
                        true,
                        List.of(
                                LifecycleRule.builder()
                                        .id("noncurrent-versions")
                                        .noncurrentVersionExpiration(
                                                Duration.days(env.archiveNoncurrentDays()))
                                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                        .build()),
                        removal));
        byKey.put(
                AuditSettings.STAGING_BUCKET.name(),
                bucket(
                        "AuditStaging",
                        BucketEncryption.KMS,
                        false,
                        List.of(
                                LifecycleRule.builder()
                                        .id("staging-expiry")
                                        .expiration(Duration.days(env.stagingExpiryDays()))
                                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                        .build()),
                        removal));
        byKey.put(
                AuditSettings.FAILURE_BUCKET.name(),
                bucket(
                        "AuditFailure",
                        BucketEncryption.KMS,
                        true,
                        List.of(
                                LifecycleRule.builder()
                                        .id("noncurrent-versions")
                                        .noncurrentVersionExpiration(
                                                Duration.days(env.archiveNoncurrentDays()))
                                        .build()),
                        removal));
    }

    private Bucket bucket(
            String id,
            BucketEncryption encryption,
            boolean versioned,
            List<LifecycleRule> rules,
            RemovalPolicy removal) {
        Bucket.Builder builder =
                Bucket.Builder.create(this, id)
                        .encryption(encryption)
                        .enforceSsl(true)
                        .versioned(versioned)
                        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                        .serverAccessLogsBucket(logs)
                        .serverAccessLogsPrefix(id + "/")
                        .lifecycleRules(rules)
                        .removalPolicy(removal);
        if (encryption == BucketEncryption.KMS) {
            builder.encryptionKey(key).bucketKeyEnabled(true);
        }
        return builder.build();
    }

    /** Every bucket by the config key that names it ({@code wis2.cache.bucket}, ...). */
    public Map<String, Bucket> byConfigKey() {
        return byKey;
    }

    public Bucket bucket(ConfigKey<String> key) {
        return byKey.get(key.name());
    }

    /** The public HTTPS URL the cached objects are downloaded from. */
    public String cacheBaseUrl() {
        return "https://" + cdn.getDistributionDomainName();
    }

    public Distribution cdn() {
        return cdn;
    }

    public Bucket logs() {
        return logs;
    }
}
