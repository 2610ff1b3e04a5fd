package dev.millrace.stack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CacheBoardTest {
    @Test
    void countsPerCentreAndDownloadsAMinuteOverTheLastMinute() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter downloaded =
                registry.counter("wmo_wis2_gc_downloaded", "centre_id", "c1", "report_by", "gc");
        registry.counter("wmo_wis2_gc_downloaded_errors", "centre_id", "c2", "report_by", "gc")
                .increment(2);
        CacheBoard board = new CacheBoard(10);

        board.sample(registry, 0);
        downloaded.increment(10);
        board.sample(registry, 30_000);
        downloaded.increment(10);
        board.sample(registry, 60_000);
        board.sample(registry, 90_000);

        JsonNode wis2 = board.toJson();
        // Over the last minute (30 s to 90 s): 10 downloads.
        assertThat(wis2.path("downloadsPerMinute").asDouble()).isEqualTo(10.0);
        assertThat(wis2.path("downloadsPerMinuteSeries").toString())
                .isEqualTo("[0.0,20.0,20.0,10.0]");
        JsonNode c1 = wis2.path("centres").get(0);
        JsonNode c2 = wis2.path("centres").get(1);
        assertThat(c1.path("centre").asText()).isEqualTo("c1");
        assertThat(c1.path("wmo_wis2_gc_downloaded").asLong()).isEqualTo(20);
        assertThat(c2.path("wmo_wis2_gc_downloaded_errors").asLong()).isEqualTo(2);
        assertThat(c2.path("wmo_wis2_gc_downloaded").asLong()).isZero();
    }

    @Test
    void showsTheCanonicalLinkOfANotificationOnlyWhenItIsHttp() throws Exception {
        CacheBoard board = new CacheBoard(10);
        board.notification(
                Json.mapper()
                        .readTree(
                                "{\"id\":\"n1\",\"properties\":{\"data_id\":\"d1\","
                                    + "\"pubtime\":\"2026-01-01T00:00:00Z\"},\"links\":["
                                    + "{\"rel\":\"via\",\"href\":\"https://other\"},"
                                    + "{\"rel\":\"canonical\",\"href\":\"http://gc/wis2/cache/d1\"}]}"),
                5);
        board.notification(
                Json.mapper()
                        .readTree(
                                "{\"id\":\"n2\",\"properties\":{\"data_id\":\"d2\"},\"links\":["
                                    + "{\"rel\":\"canonical\",\"href\":\"javascript:alert(1)\"}]}"),
                6);

        JsonNode notifications = board.toJson().path("notifications");

        assertThat(notifications.get(0).has("href")).isFalse();
        assertThat(notifications.get(1).path("href").asText()).isEqualTo("http://gc/wis2/cache/d1");
        assertThat(notifications.get(1).path("dataId").asText()).isEqualTo("d1");
    }
}
