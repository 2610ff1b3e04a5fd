package dev.millrace.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfTheRateThenRefillsContinuously() {
        TokenBucket bucket = new TokenBucket(4, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(bucket.tryAcquire(0)).isTrue();
        }
        assertThat(bucket.tryAcquire(0)).isFalse();
        assertThat(bucket.secondsUntilNext()).isEqualTo(1);
        assertThat(bucket.tryAcquire(SECOND / 4 - 1)).as("not quite a token yet").isFalse();
        assertThat(bucket.tryAcquire(SECOND / 4 + 1)).isTrue();
        assertThat(bucket.tryAcquire(10 * SECOND)).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryAcquire(10 * SECOND)).isTrue();
        }
        assertThat(bucket.tryAcquire(10 * SECOND)).as("never more than the burst").isFalse();
    }
}
