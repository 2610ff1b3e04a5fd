package dev.millrace.services.wis2;

import dev.millrace.wis2.CacheStep;
import dev.millrace.wis2.Wis2Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WMO Global Cache metrics ({@code wmo_wis2_gc_*}), labelled {@code centre_id} (whose data) and
 * {@code report_by} (this cache); the data server ones also {@code dataserver}. A centre's series
 * all appear, at 0, with its first outcome, or from the start for the centres configured, so that a
 * query for an increase never meets a missing series.
 */
final class Wis2Metrics {
    private static final String DOWNLOADED = "wmo_wis2_gc_downloaded";
    private static final String ERRORS = "wmo_wis2_gc_downloaded_errors";
    private static final String INTEGRITY = "wmo_wis2_gc_integrity_failed";
    private static final String NO_CACHE = "wmo_wis2_gc_no_cache";
    private static final String OVERRIDE = "wmo_wis2_gc_cache_override";
    private static final String STORE_FAILED = "millrace_wis2_gc_store_failed";
    // Micrometer's Prometheus naming appends the base unit: *_timestamp_seconds.
    private static final String LAST_DOWNLOAD = "wmo_wis2_gc_last_download_timestamp";
    private static final String LAST_METADATA = "wmo_wis2_gc_last_metadata_timestamp";
    private static final String STATUS = "wmo_wis2_gc_dataserver_status_flag";
    private static final String SERVER_LAST_DOWNLOAD =
            "wmo_wis2_gc_dataserver_last_download_timestamp";

    private static final Map<String, String> DESCRIPTIONS =
            Map.ofEntries(
                    Map.entry(DOWNLOADED, "Data downloaded and cached."),
                    Map.entry(ERRORS, "Data that could not be downloaded."),
                    Map.entry(INTEGRITY, "Data whose checksum did not match its notification."),
                    Map.entry(NO_CACHE, "Notifications republished uncached (cache: false)."),
                    Map.entry(
                            OVERRIDE,
                            "Notifications republished uncached by this cache's decision (too"
                                    + " large to keep)."),
                    Map.entry(STORE_FAILED, "Data verified but refused by the object store."),
                    Map.entry(LAST_DOWNLOAD, "When data of the centre was last cached."),
                    Map.entry(
                            LAST_METADATA,
                            "When a metadata record of the centre was last processed."),
                    Map.entry(
                            STATUS,
                            "1 when the last download from the data server succeeded and"
                                    + " verified, else 0."),
                    Map.entry(SERVER_LAST_DOWNLOAD, "When the data server last served data."));

    private final MeterRegistry registry;
    private final String reportBy;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Set<String> centres = ConcurrentHashMap.newKeySet();

    /**
     * @param centres centre ids, or {@code centre@host} for a data server too, whose series exist
     *     from the start
     */
    Wis2Metrics(MeterRegistry registry, String reportBy, List<String> centres) {
        this.registry = registry;
        this.reportBy = reportBy;
        for (String entry : centres) {
            int at = entry.indexOf('@');
            String centre = at < 0 ? entry : entry.substring(0, at);
            seen(centre);
            if (at >= 0) {
                server(centre, entry.substring(at + 1));
            }
        }
    }

    /** Counts what a fetch request came to, at {@code epochSeconds}. */
    void count(CacheStep.Outcome outcome, long epochSeconds) {
        String centre = outcome.centre();
        String server = outcome.dataServer();
        seen(centre);
        switch (outcome.count()) {
            case NO_CACHE -> counter(NO_CACHE, centre).increment();
            case CACHE_OVERRIDE -> counter(OVERRIDE, centre).increment();
            case DOWNLOADED -> {
                counter(DOWNLOADED, centre).increment();
                gauge(LAST_DOWNLOAD, centre, null).set(epochSeconds);
                if (server != null) {
                    gauge(STATUS, centre, server).set(1);
                    gauge(SERVER_LAST_DOWNLOAD, centre, server).set(epochSeconds);
                }
            }
            case DOWNLOAD_FAILED -> {
                counter(ERRORS, centre).increment();
                serverDown(centre, server);
            }
            case INTEGRITY_FAILED -> {
                // As the WMO Global Cache tests read it: the server served bad data.
                counter(INTEGRITY, centre).increment();
                serverDown(centre, server);
            }
            case STORE_FAILED -> counter(STORE_FAILED, centre).increment();
        }
        boolean published = outcome.cacheNotification().isPresent();
        if (published && Wis2Topics.isMetadata(outcome.cacheTopic())) {
            gauge(LAST_METADATA, centre, null).set(epochSeconds);
        }
    }

    /** Every series of a centre, at 0 where new. */
    private void seen(String centre) {
        if (!centres.add(centre)) {
            return;
        }
        for (String name : List.of(DOWNLOADED, ERRORS, INTEGRITY, NO_CACHE, OVERRIDE)) {
            counter(name, centre);
        }
        gauge(LAST_DOWNLOAD, centre, null);
        gauge(LAST_METADATA, centre, null);
    }

    private void serverDown(String centre, String server) {
        if (server != null) {
            server(centre, server);
            gauge(STATUS, centre, server).set(0);
        }
    }

    private void server(String centre, String server) {
        gauge(STATUS, centre, server);
        gauge(SERVER_LAST_DOWNLOAD, centre, server);
    }

    private Counter counter(String name, String centre) {
        // Micrometer's Prometheus naming appends _total to counters.
        return Counter.builder(name)
                .description(DESCRIPTIONS.get(name))
                .tags(Tags.of("centre_id", centre, "report_by", reportBy))
                .register(registry);
    }

    private AtomicLong gauge(String name, String centre, String server) {
        return gauges.computeIfAbsent(
                name + "\n" + centre + "\n" + server,
                k -> {
                    AtomicLong value = new AtomicLong();
                    Tags tags = Tags.of("centre_id", centre, "report_by", reportBy);
                    if (server != null) {
                        tags = tags.and("dataserver", server);
                    }
                    Gauge.builder(name, value, AtomicLong::get)
                            .description(DESCRIPTIONS.get(name))
                            .tags(tags)
                            .baseUnit(name.endsWith("timestamp") ? "seconds" : null)
                            .register(registry);
                    return value;
                });
    }
}
