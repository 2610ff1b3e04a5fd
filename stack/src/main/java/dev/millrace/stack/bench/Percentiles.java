package dev.millrace.stack.bench;

/** Percentiles of measurements, the way the benchmarks report them. */
public final class Percentiles {
    private Percentiles() {}

    /**
     * The nearest-rank percentile of sorted values: the smallest value at or above {@code p} of
     * them; NaN when there are none.
     */
    public static double of(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
