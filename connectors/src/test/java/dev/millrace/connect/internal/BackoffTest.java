package dev.millrace.connect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCeiling() {
        Backoff backoff = new Backoff(100, 1_000);

        long[] delays = LongStream.range(0, 6).map(i -> backoff.nextDelayMs()).toArray();

        assertThat(delays).containsExactly(100, 200, 400, 800, 1_000, 1_000);
    }

    @Test
    void startsOverAfterReset() {
        Backoff backoff = new Backoff(100, 1_000);
        backoff.nextDelayMs();
        backoff.nextDelayMs();

        backoff.reset();

        assertThat(backoff.nextDelayMs()).isEqualTo(100);
    }

    @Test
    void refusesACeilingBelowTheStart() {
        assertThatThrownBy(() -> new Backoff(100, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
