package dev.millrace.wis2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The Global Cache's decisions for one fetch request, whatever runs it: {@code cache: false} is
 * republished at once with a new id; otherwise the data comes from the notification itself or its
 * download link, must match its integrity block, is stored, and only then is the cache notification
 * made. Every outcome tells the dedupe ledger how the fetch ended and the metrics what to count.
 */
public final class CacheStep {

    /** Downloads the data a link points at. */
    public interface Fetcher {
        byte[] fetch(String href) throws FetchException, InterruptedException;
    }

    /** Where cached objects go. */
    public interface ObjectStore {
        void put(String key, byte[] data, String contentType);
    }

    /** A download that did not bring the data: its reason is the failure's. */
    public static class FetchException extends Exception {
        public FetchException(String reason) {
            super(reason);
        }
    }

    /** Data larger than the cache keeps: not a failure, a decision not to cache. */
    public static final class TooLargeException extends FetchException {
        public TooLargeException(String reason) {
            super(reason);
        }
    }

    /** What the metrics count of an outcome. */
    public enum Count {
        /** Republished without caching. */
        NO_CACHE,
        /** Downloaded (or decoded), verified and cached. */
        DOWNLOADED,
        /** Not downloaded: no link, a refused or failed download, unusable content. */
        DOWNLOAD_FAILED,
        /** Downloaded, but the checksum did not match. */
        INTEGRITY_FAILED,
        /** Too large to keep: republished pointing at the source, as with cache: false. */
        CACHE_OVERRIDE,
        /** Downloaded and verified, but the object store refused it: the pair stays open. */
        STORE_FAILED
    }

    /**
     * @param cacheNotification what to publish, on {@code cacheTopic}; empty when nothing is
     * @param result how the fetch ended, for the dedupe ledger; empty for {@code cache: false},
     *     which the ledger settled already
     * @param centre whose data it is (a metrics label)
     * @param dataServer the host the data came from or was to come from, or null
     * @param failure why it was not cached, or null
     */
    public record Outcome(
            Optional<ObjectNode> cacheNotification,
            String cacheTopic,
            Optional<FetchResult> result,
            Count count,
            String centre,
            String dataServer,
            String failure) {}

    private final String centreId;
    private final String cacheBaseUrl;
    private final long maxBytes;
    private final Fetcher fetcher;
    private final ObjectStore store;
    private final Clock clock;

    /**
     * @param maxBytes the largest object kept; a larger one is republished uncached
     */
    public CacheStep(
            String centreId,
            String cacheBaseUrl,
            long maxBytes,
            Fetcher fetcher,
            ObjectStore store,
            Clock clock) {
        this.centreId = centreId;
        this.cacheBaseUrl = cacheBaseUrl;
        this.maxBytes = maxBytes;
        this.fetcher = fetcher;
        this.store = store;
        this.clock = clock;
    }

    /** Decides, fetches and stores for a notification that arrived on MQTT topic {@code topic}. */
    public Outcome handle(String topic, Notification notification) throws InterruptedException {
        String centre = centreOf(notification, topic);
        String cacheTopic = Wis2Topics.cacheTopic(topic);
        if (!notification.cache()) {
            return new Outcome(
                    Optional.of(CacheNotifications.republished(notification, centreId)),
                    cacheTopic,
                    Optional.empty(),
                    Count.NO_CACHE,
                    centre,
                    null,
                    null);
        }
        String dataServer = notification.downloadLink().map(l -> host(l.href())).orElse(null);
        var declared = notification.declaredSize();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            return overridden(
                    notification,
                    cacheTopic,
                    centre,
                    dataServer,
                    "announced as " + declared.getAsLong() + " bytes");
        }
        byte[] data;
        try {
            data = data(notification);
        } catch (TooLargeException e) {
            return overridden(notification, cacheTopic, centre, dataServer, e.getMessage());
        } catch (FetchException | InvalidNotificationException | IllegalArgumentException e) {
            return failed(
                    notification,
                    cacheTopic,
                    Count.DOWNLOAD_FAILED,
                    centre,
                    dataServer,
                    e.getMessage());
        }
        var integrity = notification.integrity();
        if (integrity.isPresent() && !Checksums.matches(data, integrity.get())) {
            return failed(
                    notification,
                    cacheTopic,
                    Count.INTEGRITY_FAILED,
                    centre,
                    dataServer,
                    "integrity check (" + integrity.get().method() + ") failed");
        }
        if (data.length > maxBytes) {
            return overridden(
                    notification, cacheTopic, centre, dataServer, data.length + " bytes inline");
        }
        String key = CacheKeys.objectKey(notification);
        try {
            store.put(key, data, contentType(notification));
        } catch (RuntimeException e) {
            return failed(
                    notification,
                    cacheTopic,
                    Count.STORE_FAILED,
                    centre,
                    dataServer,
                    "storing " + key + " failed: " + e.getMessage());
        }
        return new Outcome(
                Optional.of(
                        CacheNotifications.cached(
                                notification, centreId, CacheKeys.href(cacheBaseUrl, key))),
                cacheTopic,
                Optional.of(new FetchResult(notification.id(), notification.pubtime(), true, null)),
                Count.DOWNLOADED,
                centre,
                dataServer,
                null);
    }

    /** When the outcome happened, for the metrics' timestamps. */
    public long epochSecond() {
        return clock.instant().getEpochSecond();
    }

    /**
     * Not kept, by this cache's decision: republished as with {@code cache: false}, links untouched
     * and {@code properties.cache} false, and the pair settled.
     */
    private Outcome overridden(
            Notification notification,
            String cacheTopic,
            String centre,
            String dataServer,
            String why) {
        ObjectNode json = CacheNotifications.republished(notification, centreId);
        ((ObjectNode) json.get("properties")).put("cache", false);
        return new Outcome(
                Optional.of(json),
                cacheTopic,
                Optional.of(
                        new FetchResult(
                                notification.id(),
                                notification.pubtime(),
                                true,
                                "not cached: larger than " + maxBytes + " bytes (" + why + ")")),
                Count.CACHE_OVERRIDE,
                centre,
                dataServer,
                null);
    }

    private static Outcome failed(
            Notification notification,
            String cacheTopic,
            Count count,
            String centre,
            String dataServer,
            String failure) {
        return new Outcome(
                Optional.empty(),
                cacheTopic,
                Optional.of(
                        new FetchResult(notification.id(), notification.pubtime(), false, failure)),
                count,
                centre,
                dataServer,
                failure);
    }

    private byte[] data(Notification notification) throws FetchException, InterruptedException {
        var content = notification.content();
        if (content.isPresent()) {
            byte[] data = InlineData.decode(content.get());
            var size = notification.contentSize();
            if (size.isPresent() && size.getAsLong() != data.length) {
                throw new FetchException(
                        "properties.content.size says "
                                + size.getAsLong()
                                + " bytes, but the content holds "
                                + data.length);
            }
            return data;
        }
        var link = notification.downloadLink();
        if (link.isEmpty()) {
            throw new FetchException("no canonical or update link to download");
        }
        return fetcher.fetch(link.get().href());
    }

    /** The centre whose data it is: topic level 4, or the upstream cache that republished it. */
    static String centreOf(Notification notification, String topic) {
        if (topic != null && topic.startsWith("cache/")) {
            var cache = notification.globalCache();
            if (cache.isPresent()) {
                return cache.get();
            }
        }
        String centre = topic == null ? null : Wis2Topics.centreId(topic);
        return centre == null ? "unknown" : centre;
    }

    private static String contentType(Notification notification) {
        for (var link : notification.asJson().path("links")) {
            String rel = link.path("rel").asText();
            if ((rel.equals("update") || rel.equals("canonical")) && link.hasNonNull("type")) {
                return link.get("type").asText();
            }
        }
        return "application/octet-stream";
    }

    private static String host(String href) {
        try {
            return URI.create(href).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
