package dev.millrace.local.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Waiting in tests for something that happens elsewhere: poll, and fail past a deadline. */
public final class Await {
    private static final long POLL_MILLIS = 100;

    private Await() {}

    /** Something a test reads that may throw. */
    public interface Read<T> {
        T get() throws Exception;
    }

    /**
     * Reads until {@code done} holds for what was read, and returns it.
     *
     * @throws AssertionError naming {@code what} and the last value read, after {@code timeout}
     */
    public static <T> T until(String what, Duration timeout, Read<T> read, Predicate<T> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            Thread.sleep(POLL_MILLIS);
            last = read.get();
        }
        return last;
    }

    /**
     * Waits until {@code done} holds.
     *
     * @throws AssertionError naming {@code what}, after {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
