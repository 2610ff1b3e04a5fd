package dev.millrace.wis2;

import static dev.millrace.wis2.DataIdLedger.Verdict.DROP_NOT_NEWER;
import static dev.millrace.wis2.DataIdLedger.Verdict.DROP_NO_UPDATE_LINK;
import static dev.millrace.wis2.DataIdLedger.Verdict.DROP_TOO_MANY_WAITING;
import static dev.millrace.wis2.DataIdLedger.Verdict.FETCH;
import static dev.millrace.wis2.DataIdLedger.Verdict.REPUBLISH;
import static dev.millrace.wis2.DataIdLedger.Verdict.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DataIdLedgerTest {
    private static final Instant NOW = Instant.parse("2026-03-15T12:05:00Z");
    private static final String T1 = "2026-03-15T12:04:31Z";
    private static final String T2 = "2026-03-15T12:34:31Z";

    private final DataIdLedger ledger = new DataIdLedger();

    @Test
    void aPairIsFetchedOnceAndItsCopiesAreDuplicates() {
        assertThat(ledger.offer(Wnm.canonical("a", T1), NOW)).isEqualTo(FETCH);
        assertThat(ledger.offer(Wnm.canonical("b", T1), NOW)).isEqualTo(WAIT);
        assertThat(ledger.settle(true, NOW))
                .extracting(DataIdLedger.Decision::verdict)
                .containsExactly(DROP_NOT_NEWER);
        assertThat(ledger.processed()).isEqualTo(Instant.parse(T1));
        assertThat(ledger.offer(Wnm.canonical("c", T1), NOW)).isEqualTo(DROP_NOT_NEWER);
    }

    /** WMO test "deduplication alt 1": a failed copy does not block a later copy of the pair. */
    @Test
    void aFailedFetchLetsTheNextCopyBeFetched() {
        assertThat(ledger.offer(Wnm.canonical("bad-link", T1), NOW)).isEqualTo(FETCH);
        assertThat(ledger.offer(Wnm.canonical("good-link", T1), NOW)).isEqualTo(WAIT);
        assertThat(ledger.offer(Wnm.canonical("third", T1), NOW)).isEqualTo(WAIT);
        var next = ledger.settle(false, NOW);
        assertThat(next)
                .extracting(d -> d.notification().id(), DataIdLedger.Decision::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("good-link", FETCH),
                        org.assertj.core.groups.Tuple.tuple("third", WAIT));
        assertThat(ledger.processed()).isNull();
        assertThat(ledger.settle(true, NOW))
                .extracting(DataIdLedger.Decision::verdict)
                .containsExactly(DROP_NOT_NEWER);
        assertThat(ledger.processed()).isEqualTo(Instant.parse(T1));
    }

    @Test
    void aFailedFetchWithNoOtherCopyLeavesThePairOpen() {
        ledger.offer(Wnm.canonical("a", T1), NOW);
        assertThat(ledger.settle(false, NOW)).isEmpty();
        assertThat(ledger.offer(Wnm.canonical("a-again", T1), NOW)).isEqualTo(FETCH);
    }

    /** WMO test "data update": a later pubtime needs an update link. */
    @Test
    void aLaterPubtimeIsProcessedOnlyAsAnUpdate() {
        ledger.offer(Wnm.canonical("a", T1), NOW);
        ledger.settle(true, NOW);
        assertThat(ledger.offer(Wnm.canonical("later-no-update", T2), NOW))
                .isEqualTo(DROP_NO_UPDATE_LINK);
        assertThat(ledger.offer(Wnm.update("later-update", T2), NOW)).isEqualTo(FETCH);
        ledger.settle(true, NOW);
        assertThat(ledger.offer(Wnm.update("earlier-update", T1), NOW)).isEqualTo(DROP_NOT_NEWER);
        assertThat(ledger.processed()).isEqualTo(Instant.parse(T2));
    }

    @Test
    void cacheFalseIsRepublishedAtOnceAndProcessed() {
        assertThat(ledger.offer(Wnm.noCache("a", T1), NOW)).isEqualTo(REPUBLISH);
        assertThat(ledger.inFlight()).isNull();
        assertThat(ledger.offer(Wnm.noCache("b", T1), NOW)).isEqualTo(DROP_NOT_NEWER);
    }

    @Test
    void waitingCopiesAreBounded() {
        ledger.offer(Wnm.canonical("first", T1), NOW);
        for (int i = 0; i < DataIdLedger.MAX_WAITING; i++) {
            assertThat(ledger.offer(Wnm.canonical("copy-" + i, T1), NOW)).isEqualTo(WAIT);
        }
        assertThat(ledger.offer(Wnm.canonical("one-too-many", T1), NOW))
                .isEqualTo(DROP_TOO_MANY_WAITING);
        assertThat(DROP_TOO_MANY_WAITING.dropped()).isTrue();
        assertThat(WAIT.dropped()).isFalse();
    }

    @Test
    void idleLedgersExpireButNotWithAFetchInFlight() {
        ledger.offer(Wnm.canonical("a", T1), NOW);
        assertThat(ledger.idleSince(NOW.plusSeconds(86_400))).isFalse();
        ledger.settle(true, NOW);
        assertThat(ledger.idleSince(NOW)).isFalse();
        assertThat(ledger.idleSince(NOW.plusSeconds(1))).isTrue();
    }

    @Test
    void settlingWithNothingInFlightIsABug() {
        assertThatThrownBy(() -> ledger.settle(true, NOW))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLedgerGoesThroughBytesUnchanged() {
        ledger.offer(Wnm.canonical("a", T1), NOW);
        ledger.offer(Wnm.canonical("b", T1), NOW);
        DataIdLedger back = DataIdLedgerCodec.decode(DataIdLedgerCodec.encode(ledger));
        assertThat(back.inFlight()).isEqualTo(Instant.parse(T1));
        assertThat(back.processed()).isNull();
        assertThat(back.touched()).isEqualTo(NOW);
        assertThat(back.waiting()).extracting(Notification::id).containsExactly("b");
        assertThat(back.settle(false, NOW))
                .extracting(DataIdLedger.Decision::verdict)
                .containsExactly(FETCH);
    }

    @Test
    void aFetchResultGoesThroughJsonUnchanged() {
        FetchResult result = new FetchResult("a", Instant.parse(T1), false, "HTTP 404");
        assertThat(FetchResult.fromJson(result.toJson())).isEqualTo(result);
        FetchResult ok = new FetchResult("a", Instant.parse(T1), true, null);
        assertThat(FetchResult.fromJson(ok.toJson())).isEqualTo(ok);
    }
}
