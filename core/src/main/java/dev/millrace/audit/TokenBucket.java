package dev.millrace.audit;

/**
 * A rate limit of {@code rate} requests a second with a burst of {@code rate}: tokens refill
 * continuously and a request takes one. Thread-safe.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, long nowNanos) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = ratePerSecond;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryAcquire(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(capacity, tokens + (nowNanos - last) * ratePerNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Seconds until the next token, for a Retry-After header: at least 1. */
    public synchronized long secondsUntilNext() {
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e9));
    }
}
