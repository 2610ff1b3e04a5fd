package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CacheNotificationsTest {
    private static final String CACHED = "http://127.0.0.1:8080/wis2/cache/a.bufr4";

    @Test
    void nameBasedIdsFollowRfc4122Version5() {
        // The RFC's DNS namespace; the expected value worked out with another implementation.
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(dev.millrace.ids.Uuids.nameBased(dns, "www.example.com"))
                .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    @Test
    void theCachedCopyPointsAtTheCacheAndKeepsEverythingElse() {
        Notification source =
                Wnm.update("0b6e3e2c-1a7f-4b8e-9d3c-5f2a1e0c7b91", "2026-03-15T12:04:31Z");
        ObjectNode cached =
                CacheNotifications.cached(source, "fr-meteofrance-global-cache", CACHED);

        assertThat(cached.get("id").asText())
                .isEqualTo(
                        CacheNotifications.id(source.id(), "fr-meteofrance-global-cache")
                                .toString())
                .isNotEqualTo(source.id());
        assertThat(cached.at("/properties/global-cache").asText())
                .isEqualTo("fr-meteofrance-global-cache");
        assertThat(cached.at("/links/0/href").asText()).isEqualTo(CACHED);
        assertThat(cached.at("/links/1/href").asText())
                .as("other links untouched")
                .isEqualTo("https://example.org/about");
        assertThat(cached.at("/properties/pubtime").asText()).isEqualTo("2026-03-15T12:04:31Z");
        assertThat(cached.at("/properties/data_id").asText()).isEqualTo(Wnm.DATA_ID);
        assertThat(cached.at("/extra/kept").asBoolean()).isTrue();
        assertThat(source.downloadLink().orElseThrow().href())
                .as("the source is not changed")
                .isEqualTo("https://example.org/a-v2.bufr4");
    }

    @Test
    void aRepublishedCopyKeepsItsLinks() {
        Notification source =
                Wnm.noCache("0b6e3e2c-1a7f-4b8e-9d3c-5f2a1e0c7b91", "2026-03-15T12:04:31Z");
        ObjectNode republished = CacheNotifications.republished(source, "gc");
        assertThat(republished.at("/links/0/href").asText())
                .isEqualTo("https://example.org/a.bufr4");
        assertThat(republished.at("/properties/global-cache").asText()).isEqualTo("gc");
        assertThat(republished.at("/properties/cache").asBoolean(true)).isFalse();
    }

    @Test
    void theSameSourceAndCacheAlwaysGiveTheSameId() {
        assertThat(CacheNotifications.id("a", "gc")).isEqualTo(CacheNotifications.id("a", "gc"));
        assertThat(CacheNotifications.id("a", "gc"))
                .isNotEqualTo(CacheNotifications.id("a", "gc2"));
        assertThat(CacheNotifications.id("a", "gc").version()).isEqualTo(5);
    }
}
