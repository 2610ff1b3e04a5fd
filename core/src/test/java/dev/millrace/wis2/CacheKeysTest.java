package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheKeysTest {

    @Test
    void oneObjectPerDataIdAndPubtimeNamedAfterTheFile() {
        Notification n = Wnm.canonical("a", "2026-03-15T12:04:31Z");
        assertThat(CacheKeys.objectKey(n)).isEqualTo(Wnm.DATA_ID + "/1773576271000/a.bufr4");
        assertThat(CacheKeys.objectKey(Wnm.update("b", "2026-03-15T12:04:31Z")))
                .isEqualTo(Wnm.DATA_ID + "/1773576271000/a-v2.bufr4");
    }

    @Test
    void dataWithoutALinkIsCalledData() {
        Notification n =
                Wnm.notification(Wnm.builder("a", "2026-03-15T12:04:31Z").link("via", "x", null));
        assertThat(CacheKeys.objectKey(n)).endsWith("/1773576271000/data");
    }

    @Test
    void hrefsEscapeEachSegment() {
        assertThat(CacheKeys.href("http://127.0.0.1:8080/wis2/cache", "a b/c+d/1/x.bufr4"))
                .isEqualTo("http://127.0.0.1:8080/wis2/cache/a%20b/c%2Bd/1/x.bufr4");
        assertThat(CacheKeys.href("http://h/cache/", "k")).isEqualTo("http://h/cache/k");
    }
}
