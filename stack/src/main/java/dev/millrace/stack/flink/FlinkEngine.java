package dev.millrace.stack.flink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.cli.flink.FlinkArgs;
import dev.millrace.cli.flink.FlinkHome;
import dev.millrace.cli.flink.FlinkProcess;
import dev.millrace.cli.flink.FlinkRest;
import dev.millrace.config.Config;
import dev.millrace.config.FlinkSettings;
import dev.millrace.json.Json;
import dev.millrace.pipeline.ResetHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines on Flink in the local stack: a Flink session cluster in a JVM of its own (the job
 * jar is submitted to it through its REST API, as to any cluster), one job per pipeline, each
 * checkpointing under the data dir and restored from its last retained checkpoint when the stack
 * starts again.
 */
public final class FlinkEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlinkEngine.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Path dir;
    private final int restPort;
    private final FlinkProcess session;
    private final FlinkRest rest;
    private final String jarId;
    private final List<String> settings;
    private final Map<String, String> jobs = new LinkedHashMap<>();

    private FlinkEngine(
            Path dir,
            int restPort,
            FlinkProcess session,
            FlinkRest rest,
            String jarId,
            List<String> settings) {
        this.dir = dir;
        this.restPort = restPort;
        this.session = session;
        this.rest = rest;
        this.jarId = jarId;
        this.settings = settings;
    }

    /**
     * Starts the session on {@code restPort} and submits {@code jobs}, each from its last retained
     * checkpoint under {@code dir} if it has one.
     */
    public static FlinkEngine start(
            Path dir, int restPort, Config config, String bootstrapServers, List<String> jobs)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        FlinkHome home = FlinkHome.require();
        List<String> settings = new ArrayList<>(FlinkArgs.of(config));
        settings.addAll(List.of("--set", "kafka.bootstrap-servers=" + bootstrapServers));
        if (!config.isSet(FlinkSettings.CHECKPOINT_DIR)) {
            settings.addAll(
                    List.of("--set", "flink.checkpoint-dir=" + dir.resolve("checkpoints").toUri()));
        }
        int slots = jobs.size() * FlinkSettings.from(config).parallelism();
        FlinkProcess session =
                FlinkProcess.session(
                        home,
                        restPort,
                        slots,
                        List.of(),
                        dir.resolve("session.log"),
                        START_TIMEOUT);
        try {
            FlinkRest rest = new FlinkRest(FlinkProcess.restUrl(restPort));
            FlinkEngine engine =
                    new FlinkEngine(
                            dir, restPort, session, rest, rest.upload(home.jar()), settings);
            Map<String, String> previous = engine.readJobIds();
            for (String job : jobs) {
                engine.submit(
                        job,
                        previous.containsKey(job)
                                ? latestCheckpoint(dir.resolve("checkpoints"), previous.get(job))
                                : Optional.empty());
            }
            return engine;
        } catch (IOException | InterruptedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private void submit(String job, Optional<Path> restoreFrom)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(job));
        args.addAll(settings);
        String jobId =
                rest.run(jarId, args, restoreFrom.map(p -> p.toUri().toString()).orElse(null));
        log.info(
                "flink job {} submitted as {}{}",
                job,
                jobId,
                restoreFrom.map(p -> ", restored from " + p).orElse(""));
        jobs.put(job, jobId);
        writeJobIds();
        rest.await(jobId, "RUNNING", START_TIMEOUT);
    }

    /** Null while every job runs; otherwise which does not and how it is. */
    public String problem() throws IOException, InterruptedException {
        if (!session.alive()) {
            return "the Flink session exited; see " + session.log();
        }
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            String state = rest.state(job.getValue());
            if (!state.equals("RUNNING")) {
                return "flink job " + job.getKey() + " is " + state;
            }
        }
        return null;
    }

    public Map<String, String> jobs() {
        return Map.copyOf(jobs);
    }

    public String restUrl() {
        return FlinkProcess.restUrl(restPort);
    }

    /**
     * Recomputes a pipeline: cancels its job and submits it again with empty state, from the start
     * of its inputs; its outputs are written again.
     */
    public synchronized String reset(String job) throws IOException, InterruptedException {
        String old = jobs.get(job);
        if (old == null) {
            throw new IllegalArgumentException(
                    "no flink job " + job + "; running: " + jobs.keySet());
        }
        rest.cancel(old);
        rest.await(old, "CANCELED", START_TIMEOUT);
        submit(job, Optional.empty());
        return jobs.get(job);
    }

    /** The job resets of {@code POST /pipelines/<pipeline>/reset} when the stack runs Flink. */
    public ResetHandler.Engine resets() {
        return new ResetHandler.Engine() {
            @Override
            public String name() {
                return "flink";
            }

            @Override
            public String runs() {
                return "the Flink jobs (local.engine=flink)";
            }

            @Override
            public Set<String> pipelines() {
                return jobs().keySet();
            }

            @Override
            public void reset(String pipeline, ObjectNode answer) throws Exception {
                answer.put("engine", "flink");
                answer.put("job", FlinkEngine.this.reset(pipeline));
                answer.put(
                        "restoredFrom", "nothing: empty state, inputs from their earliest offsets");
            }
        };
    }

    /**
     * The retained checkpoint with the highest number of a job, if any completed, under {@code
     * checkpoints} (Flink's {@code <job id>/chk-<n>/_metadata}).
     */
    static Optional<Path> latestCheckpoint(Path checkpoints, String jobId) {
        Path jobDir = checkpoints.resolve(jobId);
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.list(jobDir)) {
            return all.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> readJobIds() throws IOException {
        Path file = dir.resolve("jobs.json");
        Map<String, String> ids = new LinkedHashMap<>();
        if (Files.exists(file)) {
            Json.mapper()
                    .readTree(file.toFile())
                    .fields()
                    .forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        }
        return ids;
    }

    private void writeJobIds() throws IOException {
        Json.mapper().writeValue(dir.resolve("jobs.json").toFile(), jobs);
    }

    /** Kills the session's process at once, as a crash would: no savepoint, no cancel. */
    public void kill() throws InterruptedException {
        session.kill();
    }

    @Override
    public void close() {
        session.close();
    }
}
