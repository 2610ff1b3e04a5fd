package dev.millrace.stack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The resident set size of this JVM, from {@code /proc/self/status} (Linux; NaN elsewhere): once,
 * or its peak sampled by a daemon thread until closed.
 */
final class Rss implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Thread sampler;
    private volatile double maxMiB;
    private volatile boolean running = true;

    private Rss(Duration every) {
        maxMiB = currentMiB();
        sampler =
                new Thread(
                        () -> {
                            while (running) {
                                maxMiB = higher(maxMiB, currentMiB());
                                try {
                                    Thread.sleep(every.toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "bench-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Samples VmRSS every {@code every} until closed. */
    static Rss sample(Duration every) {
        return new Rss(every);
    }

    /** The highest VmRSS sampled so far, in MiB. */
    double maxMiB() {
        return higher(maxMiB, currentMiB());
    }

    /** The higher of two readings, either of which may be NaN (not read). */
    private static double higher(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** VmRSS now, in MiB; NaN where {@code /proc/self/status} cannot be read. */
    static double currentMiB() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String kib = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kib) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
