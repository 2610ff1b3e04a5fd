package dev.millrace.flink;

import dev.millrace.config.ConfigException;
import dev.millrace.config.FlinkSettings;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The jobs by name, and the Flink configuration they run with. */
public final class Jobs {
    public static final List<String> NAMES =
            List.of(TelemetryJob.NAME, Wis2DedupeJob.NAME, AuditWorkflowJob.NAME);

    private Jobs() {}

    /** Adds job {@code name}, reading and writing through {@code io}, to {@code env}. */
    public static void build(
            String name, StreamExecutionEnvironment env, JobConfig config, JobIo io) {
        FlinkSettings settings = FlinkSettings.from(config.config());
        switch (name) {
            case TelemetryJob.NAME ->
                    new TelemetryJob(config, TelemetryJob.Topics.CATALOG.as(settings))
                            .build(env, io);
            case Wis2DedupeJob.NAME ->
                    new Wis2DedupeJob(config, Wis2DedupeJob.Topics.CATALOG.as(settings))
                            .build(env, io);
            case AuditWorkflowJob.NAME ->
                    new AuditWorkflowJob(config, AuditWorkflowJob.Topics.CATALOG.as(settings))
                            .build(env, io);
            default ->
                    throw new ConfigException(
                            "no job '"
                                    + name
                                    + "' (key "
                                    + FlinkSettings.JOB.name()
                                    + "); jobs: "
                                    + String.join(", ", NAMES));
        }
    }

    /**
     * The consumer group and transactional id prefix of a job (and of its outputs' suffix, so that
     * a job beside another writes its own transactions).
     */
    public static String groupOf(String job, FlinkSettings settings) {
        return settings.group(job);
    }

    /**
     * What every run of a job sets, Managed Flink included: no Kryo fallback for any type, and the
     * key groups of its state.
     */
    public static Configuration pipeline(FlinkSettings settings) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.MAX_PARALLELISM, settings.maxParallelism());
        return conf;
    }

    /**
     * Where millrace runs the job itself (locally, or on a Flink cluster it submits to):
     * exactly-once checkpoints, the state backend, restarts with exponential backoff, the
     * parallelism. Managed Flink sets these on the application instead.
     */
    public static Configuration selfManaged(FlinkSettings settings) {
        Configuration conf = pipeline(settings);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, java.time.Duration.ZERO);
        conf.set(
                StateBackendOptions.STATE_BACKEND,
                settings.stateBackend() == FlinkSettings.StateBackend.ROCKSDB
                        ? "rocksdb"
                        : "hashmap");
        if (!settings.checkpointDir().isBlank()) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
            conf.set(
                    CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    settings.checkpointDir() + "/savepoints");
            // Kept when the job is cancelled or its cluster dies: a new run restores from it.
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(CoreOptions.DEFAULT_PARALLELISM, settings.parallelism());
        return conf;
    }
}
