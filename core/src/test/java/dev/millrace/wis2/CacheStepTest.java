package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the cache step decides for each kind of fetch request, with no network and no S3. */
class CacheStepTest {
    private static final String CENTRE = "xx-test-global-cache";
    private static final String TOPIC =
            "origin/a/wis2/ca-eccc-msc/data/core/weather/surface-based-observations/synop";
    private static final String HREF = "https://dd.example.org/a.bufr4";
    private static final byte[] DATA = "bufr bytes".getBytes(StandardCharsets.UTF_8);
    private static final long MAX_BYTES = 64;

    private final Map<String, byte[]> served = new HashMap<>();
    private final List<String> fetched = new ArrayList<>();
    private final Map<String, byte[]> stored = new HashMap<>();
    private final CacheStep step =
            new CacheStep(
                    CENTRE,
                    "http://cache.example.org/wis2/cache",
                    MAX_BYTES,
                    href -> {
                        fetched.add(href);
                        byte[] data = served.get(href);
                        if (data == null) {
                            throw new CacheStep.FetchException(href + " answered HTTP 404");
                        }
                        return data;
                    },
                    (key, data, contentType) -> stored.put(key, data),
                    Clock.fixed(Instant.parse("2026-03-15T12:05:00Z"), ZoneOffset.UTC));

    @Test
    void fetchResultsFollowTheirSchema() throws Exception {
        for (FetchResult result :
                List.of(
                        new FetchResult("a", Instant.parse("2026-03-15T12:04:31.5Z"), true, null),
                        new FetchResult(
                                "a", Instant.parse("2026-03-15T12:04:31Z"), false, "404"))) {
            var json = dev.millrace.json.Json.mapper().readTree(result.toJson());
            assertThat(dev.millrace.schemas.Schemas.get("wis2/fetch-result").validate(json))
                    .isEmpty();
            assertThat(FetchResult.fromJson(result.toJson())).isEqualTo(result);
        }
    }

    private static Notification withLink(WnmBuilder builder) {
        return Wnm.notification(builder.link("canonical", HREF, "application/bufr"));
    }

    @Test
    void cachesVerifiedDataThenPointsTheNotificationAtTheCopy() throws Exception {
        served.put(HREF, DATA);
        Notification source =
                withLink(Wnm.builder("a", "2026-03-15T12:04:31Z").integrityOf("sha512", DATA));

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        String key = CacheKeys.objectKey(source);
        assertThat(stored).containsOnlyKeys(key);
        assertThat(stored.get(key)).isEqualTo(DATA);
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.DOWNLOADED);
        assertThat(outcome.centre()).isEqualTo("ca-eccc-msc");
        assertThat(outcome.dataServer()).isEqualTo("dd.example.org");
        assertThat(outcome.cacheTopic()).startsWith("cache/a/wis2/ca-eccc-msc/");
        assertThat(outcome.result()).contains(new FetchResult("a", source.pubtime(), true, null));
        var copy = outcome.cacheNotification().orElseThrow();
        assertThat(copy.path("id").asText())
                .isEqualTo(CacheNotifications.id("a", CENTRE).toString());
        assertThat(copy.at("/properties/global-cache").asText()).isEqualTo(CENTRE);
        assertThat(copy.at("/links/0/href").asText())
                .isEqualTo(CacheKeys.href("http://cache.example.org/wis2/cache", key));
        assertThat(step.epochSecond())
                .isEqualTo(Instant.parse("2026-03-15T12:05:00Z").getEpochSecond());
    }

    @Test
    void republishesCacheFalseWithoutFetchingOrSettlingTheLedger() throws Exception {
        Notification source = Wnm.noCache("b", "2026-03-15T12:04:31Z");

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        assertThat(fetched).isEmpty();
        assertThat(stored).isEmpty();
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.NO_CACHE);
        assertThat(outcome.result()).isEmpty();
        assertThat(outcome.cacheNotification().orElseThrow().at("/links/0/href").asText())
                .isEqualTo("https://example.org/a.bufr4");
    }

    @Test
    void aFailedDownloadPublishesNothingAndLeavesThePairOpen() throws Exception {
        Notification source = withLink(Wnm.builder("c", "2026-03-15T12:04:31Z"));

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        assertThat(fetched).containsExactly(HREF);
        assertThat(stored).isEmpty();
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.DOWNLOAD_FAILED);
        assertThat(outcome.cacheNotification()).isEmpty();
        assertThat(outcome.result())
                .contains(
                        new FetchResult("c", source.pubtime(), false, HREF + " answered HTTP 404"));
    }

    @Test
    void dataThatDoesNotMatchItsChecksumIsNeitherStoredNorPublished() throws Exception {
        served.put(HREF, DATA);
        byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
        Notification source =
                withLink(Wnm.builder("d", "2026-03-15T12:04:31Z").integrityOf("sha256", other));

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        assertThat(stored).isEmpty();
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.INTEGRITY_FAILED);
        assertThat(outcome.dataServer()).isEqualTo("dd.example.org");
        assertThat(outcome.cacheNotification()).isEmpty();
        assertThat(outcome.result().orElseThrow().cached()).isFalse();
        assertThat(outcome.failure()).isEqualTo("integrity check (sha256) failed");
    }

    @Test
    void inlineContentIsCachedWithoutADownload() throws Exception {
        Notification source =
                Wnm.notification(
                        Wnm.builder("e", "2026-03-15T12:04:31Z")
                                .content(
                                        "base64",
                                        Base64.getEncoder().encodeToString(DATA),
                                        DATA.length)
                                .link("canonical", HREF, "application/bufr"));

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        assertThat(fetched).isEmpty();
        assertThat(stored.values()).containsExactly(DATA);
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.DOWNLOADED);
    }

    @Test
    void inlineContentOfAnotherSizeThanAnnouncedIsNotCached() throws Exception {
        Notification source =
                Wnm.notification(
                        Wnm.builder("e", "2026-03-15T12:04:31Z")
                                .content("utf-8", "abc", 9)
                                .link("canonical", HREF, "application/bufr"));

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        assertThat(stored).isEmpty();
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.DOWNLOAD_FAILED);
        assertThat(outcome.failure())
                .isEqualTo("properties.content.size says 9 bytes, but the content holds 3");
    }

    @Test
    void aNotificationFromAnotherCacheCountsForThatCache() throws Exception {
        served.put(HREF, DATA);
        Notification source =
                withLink(
                        Wnm.builder("f", "2026-03-15T12:04:31Z")
                                .property("global-cache", "de-dwd"));

        CacheStep.Outcome outcome = step.handle(TOPIC.replaceFirst("origin", "cache"), source);

        assertThat(outcome.centre()).isEqualTo("de-dwd");
    }

    @Test
    void dataAnnouncedLargerThanTheCacheKeepsIsRepublishedUncachedWithoutADownload()
            throws Exception {
        Notification source =
                Wnm.notification(
                        Wnm.builder("big", "2026-03-15T12:04:31Z")
                                .link("canonical", HREF, "application/bufr", MAX_BYTES + 1));

        CacheStep.Outcome outcome = step.handle(TOPIC, source);

        assertThat(fetched).isEmpty();
        assertThat(stored).isEmpty();
        assertThat(outcome.count()).isEqualTo(CacheStep.Count.CACHE_OVERRIDE);
        var copy = outcome.cacheNotification().orElseThrow();
        assertThat(copy.at("/links/0/href").asText()).isEqualTo(HREF);
        assertThat(copy.at("/properties/cache").asBoolean(true)).isFalse();
        assertThat(copy.at("/properties/global-cache").asText()).isEqualTo(CENTRE);
        assertThat(outcome.result().orElseThrow().cached()).as("the pair is settled").isTrue();
    }

    @Test
    void dataThatTurnsOutTooLargeAsItDownloadsIsRepublishedUncached() throws Exception {
        CacheStep tooLarge =
                new CacheStep(
                        CENTRE,
                        "http://cache.example.org/wis2/cache",
                        MAX_BYTES,
                        href -> {
                            throw new CacheStep.TooLargeException(href + " is too large");
                        },
                        (key, data, contentType) -> stored.put(key, data),
                        Clock.systemUTC());

        CacheStep.Outcome outcome =
                tooLarge.handle(TOPIC, withLink(Wnm.builder("big", "2026-03-15T12:04:31Z")));

        assertThat(outcome.count()).isEqualTo(CacheStep.Count.CACHE_OVERRIDE);
        assertThat(outcome.cacheNotification().orElseThrow().at("/links/0/href").asText())
                .isEqualTo(HREF);
        assertThat(stored).isEmpty();
    }

    @Test
    void anObjectStoreFailureLeavesThePairOpenAndPublishesNothing() throws Exception {
        served.put(HREF, DATA);
        CacheStep failingStore =
                new CacheStep(
                        CENTRE,
                        "http://cache.example.org/wis2/cache",
                        MAX_BYTES,
                        served::get,
                        (key, data, contentType) -> {
                            throw new IllegalStateException("S3 is down");
                        },
                        Clock.systemUTC());

        CacheStep.Outcome outcome =
                failingStore.handle(TOPIC, withLink(Wnm.builder("d", "2026-03-15T12:04:31Z")));

        assertThat(outcome.count()).isEqualTo(CacheStep.Count.STORE_FAILED);
        assertThat(outcome.cacheNotification()).isEmpty();
        assertThat(outcome.result().orElseThrow().cached()).isFalse();
        assertThat(outcome.failure()).contains("S3 is down");
    }
}
