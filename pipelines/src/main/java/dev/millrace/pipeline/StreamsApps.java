package dev.millrace.pipeline;

import dev.millrace.streams.StreamsReset;
import dev.millrace.streams.StreamsRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Streams applications running in this process, by pipeline; each can be reset in place. */
public final class StreamsApps implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsApps.class);
    private static final Duration RESET_TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;
    private final Map<String, StreamsApp> apps = new LinkedHashMap<>();
    private final Map<String, StreamsRunner> runners = new LinkedHashMap<>();

    public StreamsApps(Admin admin) {
        this.admin = admin;
    }

    public synchronized void start(StreamsApp app) {
        StreamsRunner runner = app.factory().get();
        apps.put(app.name(), app);
        runners.put(app.name(), runner);
        runner.start();
    }

    /** Stops the pipeline's application, leaving its group; {@link #start} brings it back. */
    public synchronized void stop(String pipeline) {
        StreamsRunner runner = runners.remove(pipeline);
        if (runner != null) {
            runner.close();
        }
    }

    public synchronized Set<String> pipelines() {
        return Set.copyOf(apps.keySet());
    }

    /** Null when the pipeline's application is running; otherwise why it is not. */
    public synchronized String problem(String pipeline) {
        StreamsRunner runner = runners.get(pipeline);
        return runner == null ? "not started" : runner.problem();
    }

    /**
     * Stops the pipeline's application, rewinds it to the start of its input, wipes its state
     * (local and changelogs) and starts it again, so that it produces its outputs once more.
     */
    public synchronized StreamsReset.Outcome reset(String pipeline) throws Exception {
        StreamsApp app = apps.get(pipeline);
        if (app == null) {
            throw new IllegalArgumentException(
                    "no Streams application for pipeline '"
                            + pipeline
                            + "'; running: "
                            + apps.keySet());
        }
        log.info("{}: resetting {}", pipeline, app.applicationId());
        StreamsRunner old = runners.remove(pipeline);
        old.close();
        old.streams().cleanUp();
        awaitNoMembers(app.applicationId());
        StreamsReset.Outcome outcome =
                StreamsReset.reset(admin, app.applicationId(), app.inputTopics(), RESET_TIMEOUT);
        log.info(
                "{}: rewound to {}, deleted {}",
                pipeline,
                outcome.rewoundTo(),
                outcome.deletedTopics());
        start(app);
        return outcome;
    }

    /** The group forgets a member that left a moment after it said so. */
    private void awaitNoMembers(String applicationId) throws Exception {
        long deadline = System.nanoTime() + RESET_TIMEOUT.toNanos();
        while (!StreamsReset.members(admin, applicationId).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Override
    public synchronized void close() {
        runners.values().forEach(StreamsRunner::close);
        runners.clear();
    }
}
