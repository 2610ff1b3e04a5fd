package dev.millrace.services.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The health of every running component. Each check is real (a request to the component, not a
 * flag) and runs with a time limit, all at once, so one stuck component cannot hide the others.
 */
public final class Health implements AutoCloseable {
    private static final long CHECK_TIMEOUT_MS = 3000;

    /** Returns null when the component is up, or why it is not. */
    @FunctionalInterface
    public interface Check {
        String problem() throws Exception;
    }

    /** One component's verdict. */
    public record Status(boolean up, String reason) {}

    private final Map<String, Check> checks = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new ConcurrentHashMap<>();
    private final ExecutorService pool =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "health-check");
                        t.setDaemon(true);
                        return t;
                    });

    public void register(String component, Check check) {
        order.putIfAbsent(component, order.size());
        checks.put(component, check);
    }

    /** Runs every check; the result keeps registration order. */
    public Map<String, Status> check() {
        Map<String, CompletableFuture<Status>> running = new LinkedHashMap<>();
        checks.keySet().stream()
                .sorted((a, b) -> Integer.compare(order.get(a), order.get(b)))
                .forEach(
                        name ->
                                running.put(
                                        name,
                                        CompletableFuture.supplyAsync(
                                                () -> run(checks.get(name)), pool)));
        Map<String, Status> result = new LinkedHashMap<>();
        running.forEach(
                (name, future) -> {
                    Status status;
                    try {
                        status = future.get(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        status = new Status(false, "no answer within " + CHECK_TIMEOUT_MS + " ms");
                    } catch (Exception e) {
                        status = new Status(false, String.valueOf(e.getMessage()));
                    }
                    result.put(name, status);
                });
        return result;
    }

    private static Status run(Check check) {
        try {
            String problem = check.problem();
            return problem == null ? new Status(true, null) : new Status(false, problem);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Status(false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
