package dev.millrace.services.wis2;

import dev.millrace.wis2.CacheStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WMO Global Cache metrics ({@code wmo_wis2_gc_*}), labelled {@code centre_id} (whose data) and
 * {@code report_by} (this cache).
 */
final class Wis2Metrics {
    private final MeterRegistry registry;
    private final String reportBy;
    private final Map<String, AtomicLong> lastDownload = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> serverStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> serverLastDownload = new ConcurrentHashMap<>();

    Wis2Metrics(MeterRegistry registry, String reportBy) {
        this.registry = registry;
        this.reportBy = reportBy;
    }

    /** Counts what a fetch request came to, at {@code epochSeconds}. */
    void count(CacheStep.Outcome outcome, long epochSeconds) {
        switch (outcome.count()) {
            case NO_CACHE -> noCache(outcome.centre());
            case DOWNLOADED -> downloaded(outcome.centre(), outcome.dataServer(), epochSeconds);
            case DOWNLOAD_FAILED -> downloadFailed(outcome.centre(), outcome.dataServer());
            case INTEGRITY_FAILED -> integrityFailed(outcome.centre());
        }
    }

    void downloaded(String centreId, String dataServer, long epochSeconds) {
        counter("wmo_wis2_gc_downloaded", centreId, "Data downloaded and cached.").increment();
        gauge(
                        lastDownload,
                        "wmo_wis2_gc_last_download_timestamp",
                        centreId,
                        null,
                        "When data of the centre was last cached, epoch seconds.")
                .set(epochSeconds);
        if (dataServer != null) {
            gauge(
                            serverStatus,
                            "wmo_wis2_gc_dataserver_status_flag",
                            centreId,
                            dataServer,
                            "1 when the last download from the data server succeeded, else 0.")
                    .set(1);
            gauge(
                            serverLastDownload,
                            "wmo_wis2_gc_dataserver_last_download_timestamp",
                            centreId,
                            dataServer,
                            "When the data server last served a download, epoch seconds.")
                    .set(epochSeconds);
        }
    }

    void downloadFailed(String centreId, String dataServer) {
        counter("wmo_wis2_gc_downloaded_errors", centreId, "Downloads that failed.").increment();
        if (dataServer != null) {
            gauge(
                            serverStatus,
                            "wmo_wis2_gc_dataserver_status_flag",
                            centreId,
                            dataServer,
                            "1 when the last download from the data server succeeded, else 0.")
                    .set(0);
        }
    }

    void integrityFailed(String centreId) {
        counter("wmo_wis2_gc_integrity_failed", centreId, "Data whose checksum did not match.")
                .increment();
    }

    void noCache(String centreId) {
        counter("wmo_wis2_gc_no_cache", centreId, "Notifications republished without caching.")
                .increment();
    }

    private Counter counter(String name, String centreId, String description) {
        // Micrometer's Prometheus naming appends _total to counters.
        return Counter.builder(name)
                .description(description)
                .tags(Tags.of("centre_id", centreId, "report_by", reportBy))
                .register(registry);
    }

    private AtomicLong gauge(
            Map<String, AtomicLong> values,
            String name,
            String centreId,
            String dataServer,
            String description) {
        String key = centreId + "\n" + dataServer;
        return values.computeIfAbsent(
                key,
                k -> {
                    AtomicLong value = new AtomicLong();
                    Tags tags = Tags.of("centre_id", centreId, "report_by", reportBy);
                    if (dataServer != null) {
                        tags = tags.and("dataserver", dataServer);
                    }
                    // Micrometer's Prometheus naming appends the base unit: _seconds.
                    Gauge.builder(name, value, AtomicLong::get)
                            .description(description)
                            .tags(tags)
                            .baseUnit(name.endsWith("timestamp") ? "seconds" : null)
                            .register(registry);
                    return value;
                });
    }
}
