package dev.millrace.connect.s3.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import software.amazon.awssdk.core.exception.SdkException;

/** The task's writer threads: S3 writes run here, up to {@code s3.put.concurrency} at once. */
public final class Writers implements AutoCloseable {
    private static final AtomicInteger TASKS = new AtomicInteger();

    private final ExecutorService pool;

    public Writers(int concurrency) {
        int task = TASKS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        pool =
                Executors.newFixedThreadPool(
                        concurrency,
                        runnable -> {
                            Thread t =
                                    new Thread(
                                            runnable,
                                            "s3-sink-"
                                                    + task
                                                    + "-writer-"
                                                    + thread.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Runs the jobs and waits for all of them, even after a failure.
     *
     * @throws SdkException the first S3 failure, with how many more there were
     */
    void runAll(List<Callable<Void>> jobs) {
        List<Future<Void>> running = new ArrayList<>(jobs.size());
        for (Callable<Void> job : jobs) {
            running.add(pool.submit(job));
        }
        SdkException firstFailure = null;
        int failures = 0;
        for (Future<Void> job : running) {
            try {
                job.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SdkException s3Failure) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = s3Failure;
                    }
                } else if (e.getCause() instanceof RuntimeException unexpected) {
                    throw unexpected;
                } else {
                    throw new ConnectException(e.getCause());
                }
            } catch (InterruptedException e) {
                running.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while writing to S3", e);
            }
        }
        if (firstFailure != null) {
            if (failures > 1) {
                firstFailure.addSuppressed(
                        new IllegalStateException(failures - 1 + " more writes failed"));
            }
            throw firstFailure;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
