package dev.millrace.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(3, 10_000, now::get);

    @Test
    void logsUpToItsLinesAWindowThenCountsWhatItLeftOut() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.next()).isEqualTo(new LogThrottle.Decision(true, 0));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.next()).isEqualTo(new LogThrottle.Decision(false, 0));
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(throttle.next()).isEqualTo(new LogThrottle.Decision(true, 5));
        assertThat(throttle.next()).isEqualTo(new LogThrottle.Decision(true, 0));
    }

    @Test
    void aQuietWindowReportsNothingLeftOut() {
        assertThat(throttle.next()).isEqualTo(new LogThrottle.Decision(true, 0));
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertThat(throttle.next()).isEqualTo(new LogThrottle.Decision(true, 0));
    }
}
