package dev.millrace.stack.chaos;

import dev.millrace.config.Config;
import dev.millrace.local.Ports;
import dev.millrace.stack.flink.FlinkEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A pipeline's Flink job on a Flink session in a process of its own, as the stack runs it with
 * {@code local.engine=flink}: killed with SIGKILL and started again on the same directory, where
 * the job is submitted again from its last retained checkpoint.
 */
final class FlinkJobProcess implements EngineProcess {
    private final String pipeline;
    private final Path dir;
    private final Config config;
    private final String bootstrapServers;
    private final int restPort = Ports.free();
    private FlinkEngine engine;

    FlinkJobProcess(String pipeline, Path dir, Config config, String bootstrapServers) {
        this.pipeline = pipeline;
        this.dir = dir;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public String killed() {
        return "flink process SIGKILL";
    }

    /** Starts the session and waits until the job runs (restored when it ran before). */
    @Override
    public void start(Duration timeout) throws Exception {
        engine = FlinkEngine.start(dir, restPort, config, bootstrapServers, List.of(pipeline));
    }

    @Override
    public void kill() throws InterruptedException {
        engine.kill();
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
