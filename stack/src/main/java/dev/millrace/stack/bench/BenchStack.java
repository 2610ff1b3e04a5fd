package dev.millrace.stack.bench;

import dev.millrace.audit.AuditSettings;
import dev.millrace.cli.CommandFailedException;
import dev.millrace.files.Directories;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.stack.wis2.UpstreamBrokers;
import dev.millrace.wis2.Wis2Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A bench's own stack, before and after it runs: a temporary data dir, free ports, for wis2 two
 * upstream brokers the cache subscribes to, for audit an API key and a per-key rate limit out of
 * the way. Closing it stops the upstream brokers and deletes the data dir.
 */
final class BenchStack implements AutoCloseable {
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(2);

    private final Path work;
    private final UpstreamBrokers upstream;
    private final String auditKey;
    private final LocalStackSettings settings;

    private BenchStack(
            Path work, UpstreamBrokers upstream, String auditKey, Map<String, String> flags) {
        this.work = work;
        this.upstream = upstream;
        this.auditKey = auditKey;
        this.settings = LocalStackSettings.onFreePorts(work, flags, System.getenv());
    }

    /**
     * Settings for a stack that serves the wis2 bench ({@code wis2}), the audit bench ({@code
     * audit}), or both; {@code overrides} are the user's {@code --set} keys.
     */
    static BenchStack prepare(Map<String, String> overrides, boolean wis2, boolean audit)
            throws Exception {
        Path work = Files.createTempDirectory("millrace-bench-");
        UpstreamBrokers upstream = null;
        try {
            Map<String, String> flags = new HashMap<>(overrides);
            if (wis2) {
                upstream = UpstreamBrokers.start(work, 2);
                flags.put(Wis2Settings.UPSTREAM_URLS.name(), String.join(",", upstream.urls()));
            }
            String key = "bench-" + UUID.randomUUID();
            if (audit) {
                flags.putIfAbsent(AuditSettings.API_KEYS.name(), "bench:" + key);
                // The bench measures the pipeline, not the per-key limit.
                flags.putIfAbsent(AuditSettings.RATE_LIMIT.name(), "1000000");
            }
            return new BenchStack(work, upstream, key, flags);
        } catch (Exception | Error e) {
            if (upstream != null) {
                upstream.close();
            }
            Directories.delete(work);
            throw e;
        }
    }

    /** Starts the stack on these settings and waits until every part is up, or throws. */
    LocalStack start() throws Exception {
        LocalStack stack = LocalStack.start(settings);
        try {
            Map<String, Health.Status> health = stack.awaitHealthy(HEALTHY_WITHIN);
            if (!health.values().stream().allMatch(Health.Status::up)) {
                throw new CommandFailedException("the bench stack is not healthy: " + health);
            }
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    Path work() {
        return work;
    }

    LocalStackSettings settings() {
        return settings;
    }

    /** The upstream brokers' URLs; none unless prepared for wis2. */
    List<String> upstreamUrls() {
        return upstream == null ? List.of() : upstream.urls();
    }

    /** The audit API key the stack accepts, when prepared for audit. */
    String auditKey() {
        return auditKey;
    }

    @Override
    public void close() throws Exception {
        try {
            if (upstream != null) {
                upstream.close();
            }
        } finally {
            Directories.delete(work);
        }
    }
}
