package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The WIS2 Global Cache as the dashboard shows it: the {@code wmo_wis2_gc_*} counters of each
 * centre (from the meter registry), downloads a minute, and the latest cache notifications (from
 * {@code wis2.cache-notifications}).
 */
final class CacheBoard {
    static final int NOTIFICATIONS = 20;

    /** The counters shown, by their Micrometer names (Prometheus adds {@code _total}). */
    static final List<String> COUNTERS =
            List.of(
                    "wmo_wis2_gc_downloaded",
                    "wmo_wis2_gc_downloaded_errors",
                    "wmo_wis2_gc_integrity_failed",
                    "wmo_wis2_gc_no_cache",
                    "wmo_wis2_gc_cache_override");

    private static final String DOWNLOADED = COUNTERS.get(0);
    private static final String LAST_DOWNLOAD = "wmo_wis2_gc_last_download_timestamp";
    private static final long MINUTE_MS = 60_000;

    private final Recent<ObjectNode> notifications = new Recent<>(NOTIFICATIONS);
    private final Series perMinute;

    /** (sample time, downloads so far) over the last minute: the rate's window. */
    private final Deque<long[]> window = new ArrayDeque<>();

    private Map<String, ObjectNode> centres = Map.of();

    CacheBoard(int samples) {
        perMinute = new Series(samples);
    }

    /** A cache notification (a WNM): its id, data id, pubtime and the cached object's link. */
    synchronized void notification(JsonNode wnm, long recordTime) {
        ObjectNode shown = Json.mapper().createObjectNode();
        JsonNode properties = wnm.path("properties");
        shown.put("id", wnm.path("id").asText());
        shown.put("dataId", properties.path("data_id").asText());
        shown.put("pubtime", properties.path("pubtime").asText());
        shown.put("received", recordTime);
        shown.put("cached", properties.path("cache").asBoolean(true));
        String href = null;
        for (JsonNode link : wnm.path("links")) {
            String rel = link.path("rel").asText();
            if (href == null || "canonical".equals(rel)) {
                href = link.path("href").asText(null);
            }
            if ("canonical".equals(rel)) {
                break;
            }
        }
        if (href != null && (href.startsWith("http://") || href.startsWith("https://"))) {
            shown.put("href", href);
        }
        notifications.add(shown);
    }

    /** Reads the counters of every centre from {@code registry}, at {@code now}. */
    synchronized void sample(MeterRegistry registry, long now) {
        Map<String, ObjectNode> byCentre = new TreeMap<>();
        long downloaded = 0;
        for (String name : COUNTERS) {
            for (Counter counter : registry.find(name).counters()) {
                String centre = counter.getId().getTag("centre_id");
                long count = (long) counter.count();
                centre(byCentre, centre).put(name, count);
                if (name.equals(DOWNLOADED)) {
                    downloaded += count;
                }
            }
        }
        for (Gauge gauge : registry.find(LAST_DOWNLOAD).gauges()) {
            double seconds = gauge.value();
            if (seconds > 0) {
                centre(byCentre, gauge.getId().getTag("centre_id"))
                        .put("lastDownload", (long) (seconds * 1000));
            }
        }
        centres = byCentre;
        window.addLast(new long[] {now, downloaded});
        while (window.size() > 2 && now - window.peekFirst()[0] > MINUTE_MS) {
            window.removeFirst();
        }
        long[] first = window.peekFirst();
        long elapsed = now - first[0];
        perMinute.add(elapsed <= 0 ? 0 : (downloaded - first[1]) * (double) MINUTE_MS / elapsed);
    }

    private static ObjectNode centre(Map<String, ObjectNode> byCentre, String centre) {
        return byCentre.computeIfAbsent(
                centre == null ? "" : centre,
                c -> {
                    ObjectNode node = Json.mapper().createObjectNode();
                    node.put("centre", c);
                    COUNTERS.forEach(name -> node.put(name, 0));
                    return node;
                });
    }

    synchronized ObjectNode toJson() {
        ObjectNode wis2 = Json.mapper().createObjectNode();
        ArrayNode rows = wis2.putArray("centres");
        centres.values().forEach(rows::add);
        wis2.put("downloadsPerMinute", perMinute.last());
        perMinute.writeTo(wis2.putArray("downloadsPerMinuteSeries"));
        ArrayNode latest = wis2.putArray("notifications");
        notifications.newestFirst().forEach(latest::add);
        return wis2;
    }
}
