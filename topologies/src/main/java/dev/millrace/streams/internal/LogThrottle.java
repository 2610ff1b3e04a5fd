package dev.millrace.streams.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * At most {@code lines} log lines a window, and for each window that had more, how many were left
 * out: a storm of bad input goes to the dead-letter topic whole, while the log, written on the
 * stream thread, costs no more than a few lines.
 */
final class LogThrottle {
    private final int lines;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long windowStart;
    private int logged;
    private long leftOut;

    LogThrottle(int lines, long windowMillis, LongSupplier nanoTime) {
        this.lines = lines;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** What to do about one more line. */
    record Decision(boolean log, long leftOutBefore) {}

    /**
     * Whether this line is logged, and how many lines the window that just ended left out (0 unless
     * this line opens a new window).
     */
    synchronized Decision next() {
        long now = nanoTime.getAsLong();
        long endedLeftOut = 0;
        if (now - windowStart >= windowNanos) {
            endedLeftOut = leftOut;
            windowStart = now;
            logged = 0;
            leftOut = 0;
        }
        if (logged < lines) {
            logged++;
            return new Decision(true, endedLeftOut);
        }
        leftOut++;
        return new Decision(false, endedLeftOut);
    }
}
