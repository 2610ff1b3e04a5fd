package dev.millrace.wis2;

import dev.millrace.catalog.Buckets;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.time.Duration;
import java.util.List;

/** Settings of the wis2 pipeline, a WMO WIS2 Global Cache. */
public record Wis2Settings(
        String centreId,
        List<String> upstreamUrls,
        Duration dedupeRetention,
        String cacheBucket,
        String cacheBaseUrl,
        Duration cacheRetention,
        int fetchConcurrency,
        Duration fetchTimeout,
        long fetchMaxBytes,
        int fetchRetries,
        List<String> metricsCentres) {

    public static final ConfigKey<String> CENTRE_ID =
            ConfigKey.string(
                    "wis2.centre-id",
                    "millrace-global-cache",
                    "This Global Cache's WIS2 centre id: properties.global-cache of what it"
                            + " republishes, the report_by label of its metrics.");
    public static final ConfigKey<List<String>> UPSTREAM_URLS =
            ConfigKey.list(
                    "wis2.upstream.urls",
                    List.of(),
                    "The Global Brokers to subscribe to, comma-separated (tcp://, ssl://;"
                            + " credentials as tcp://user:password@host:port). Empty: the local"
                            + " broker.");
    public static final ConfigKey<Duration> DEDUPE_RETENTION =
            ConfigKey.duration(
                    "wis2.dedupe.retention",
                    Duration.ofHours(24),
                    Duration.ofMinutes(1),
                    "How long message ids and data_id state are remembered for deduplication.");
    public static final ConfigKey<String> CACHE_BUCKET =
            ConfigKey.string(
                    "wis2.cache.bucket",
                    Buckets.WIS2_CACHE,
                    "The S3 bucket the cached data goes to.");
    public static final ConfigKey<String> CACHE_BASE_URL =
            ConfigKey.string(
                    "wis2.cache.base-url",
                    "",
                    "Public URL the cached objects are served under: the hrefs of cache"
                            + " notifications. Empty: the local stack's own HTTP API,"
                            + " http://<http.host>:<http.port>/wis2/cache; `run wis2-cache`"
                            + " needs it set.");
    public static final ConfigKey<Duration> CACHE_RETENTION =
            ConfigKey.duration(
                    "wis2.cache.retention",
                    Duration.ofHours(24),
                    Duration.ofHours(24),
                    "How long cached objects are kept (at least 24 h, as the WIS2 Guide asks).");
    public static final ConfigKey<Integer> FETCH_CONCURRENCY =
            ConfigKey.integer(
                    "wis2.fetch.concurrency",
                    128,
                    1,
                    1024,
                    "Downloads in flight at once, which caps the cache at this many"
                            + " notifications per download time (128 keeps 20,000 a minute going"
                            + " from sources that answer within 380 ms). Each download is held in"
                            + " memory until cached, so this times wis2.fetch.max-bytes bounds"
                            + " their memory.");
    public static final ConfigKey<Duration> FETCH_TIMEOUT =
            ConfigKey.duration(
                    "wis2.fetch.timeout",
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    "How long one download attempt may take, connecting included.");
    public static final ConfigKey<Long> FETCH_MAX_BYTES =
            ConfigKey.bytes(
                    "wis2.fetch.max-bytes",
                    256L * 1024 * 1024,
                    1,
                    "Largest object the cache keeps. A larger one (by its link's length, its"
                            + " content's size, or as it downloads) is not cached: its"
                            + " notification is republished pointing at the source, as with"
                            + " cache: false, and counted in wmo_wis2_gc_cache_override_total.");
    public static final ConfigKey<Integer> FETCH_RETRIES =
            ConfigKey.integer(
                    "wis2.fetch.retries",
                    3,
                    0,
                    20,
                    "Retries of a download after a 5xx answer or an I/O error, with backoff.");

    public static final ConfigKey<List<String>> METRICS_CENTRES =
            ConfigKey.list(
                    "wis2.metrics.centres",
                    List.of(),
                    "Centre ids whose wmo_wis2_gc_* series exist, at 0, from the start (each"
                            + " centre's series otherwise appear with its first notification);"
                            + " centre@host adds that data server's series.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            CENTRE_ID,
                            UPSTREAM_URLS,
                            DEDUPE_RETENTION,
                            CACHE_BUCKET,
                            CACHE_BASE_URL,
                            CACHE_RETENTION,
                            FETCH_CONCURRENCY,
                            FETCH_TIMEOUT,
                            FETCH_MAX_BYTES,
                            FETCH_RETRIES,
                            METRICS_CENTRES));

    /** These settings with the cache served at {@code baseUrl} when no base URL is set. */
    public Wis2Settings withDefaultCacheBaseUrl(String baseUrl) {
        if (!cacheBaseUrl.isBlank()) {
            return this;
        }
        return new Wis2Settings(
                centreId,
                upstreamUrls,
                dedupeRetention,
                cacheBucket,
                baseUrl,
                cacheRetention,
                fetchConcurrency,
                fetchTimeout,
                fetchMaxBytes,
                fetchRetries,
                metricsCentres);
    }

    public static Wis2Settings from(Config config) {
        return new Wis2Settings(
                config.get(CENTRE_ID),
                config.get(UPSTREAM_URLS),
                config.get(DEDUPE_RETENTION),
                config.get(CACHE_BUCKET),
                config.get(CACHE_BASE_URL),
                config.get(CACHE_RETENTION),
                config.get(FETCH_CONCURRENCY),
                config.get(FETCH_TIMEOUT),
                config.get(FETCH_MAX_BYTES),
                config.get(FETCH_RETRIES),
                config.get(METRICS_CENTRES));
    }
}
