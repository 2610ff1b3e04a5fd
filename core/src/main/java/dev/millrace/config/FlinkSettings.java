package dev.millrace.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How millrace runs its Flink jobs (module flink-jobs), read by the jobs and by the commands that
 * start or submit them. On Managed Service for Apache Flink, checkpointing, the state backend and
 * restarts are the service's (set on the application), so only the keys marked so apply there.
 */
public record FlinkSettings(
        String job,
        Duration checkpointInterval,
        StateBackend stateBackend,
        int parallelism,
        int maxParallelism,
        Duration transactionTimeout,
        String checkpointDir,
        String outputSuffix,
        Map<String, String> topicMap) {

    /** Where keyed state lives between checkpoints. */
    public enum StateBackend {
        HASHMAP,
        ROCKSDB
    }

    public static final ConfigKey<String> JOB =
            ConfigKey.string(
                    "flink.job",
                    "",
                    "The job to run: telemetry, wis2 or audit (on Managed Flink, one application"
                            + " per job; elsewhere the command's argument).");
    public static final ConfigKey<Duration> CHECKPOINT_INTERVAL =
            ConfigKey.duration(
                    "flink.checkpoint-interval",
                    Duration.ofMillis(100),
                    Duration.ofMillis(100),
                    "How often a job checkpoints. Outputs are written in Kafka transactions that"
                            + " commit at each checkpoint, so read_committed consumers see them"
                            + " about this late: 100ms keeps telemetry's latency with the Streams"
                            + " topology's. Not on Managed Flink.");
    public static final ConfigKey<StateBackend> STATE_BACKEND =
            ConfigKey.choice(
                    "flink.state-backend",
                    StateBackend.class,
                    StateBackend.HASHMAP,
                    "Keyed state on the heap (hashmap) or on local disk (rocksdb), both"
                            + " checkpointed. Not on Managed Flink, which uses RocksDB.");
    public static final ConfigKey<Integer> PARALLELISM =
            ConfigKey.integer(
                    "flink.parallelism",
                    1,
                    1,
                    1024,
                    "Parallel instances of each operator. On Managed Flink the application's"
                            + " parallelism applies.");
    public static final ConfigKey<Integer> MAX_PARALLELISM =
            ConfigKey.integer(
                    "flink.max-parallelism",
                    128,
                    1,
                    32768,
                    "Key groups of keyed state: the most a job can ever be scaled out to from its"
                            + " savepoints.");
    public static final ConfigKey<Duration> TRANSACTION_TIMEOUT =
            ConfigKey.duration(
                    "flink.transaction-timeout",
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(10),
                    "Kafka transaction timeout of the job's sink: longer than a checkpoint plus a"
                            + " restart, at most the brokers' transaction.max.timeout.ms (15 min by"
                            + " default).");
    public static final ConfigKey<String> CHECKPOINT_DIR =
            ConfigKey.string(
                    "flink.checkpoint-dir",
                    "",
                    "Where checkpoints and savepoints go (file:// or s3://). Empty: kept in"
                            + " memory by a local run, lost when it stops. Not on Managed Flink.");

    public static final ConfigKey<String> OUTPUT_SUFFIX =
            ConfigKey.string(
                    "flink.output-suffix",
                    "",
                    "Appended to the name of every topic a job writes: a job beside the Streams"
                            + " engine (a benchmark, a comparison) writes its own topics.");

    public static final ConfigKey<List<String>> TOPIC_MAP =
            ConfigKey.list(
                    "flink.topic-map",
                    List.of(),
                    "Topics a job reads or writes under another name, each catalog-name=name,"
                            + " comma-separated (before flink.output-suffix): a benchmark's own"
                            + " topics.");

    /** What every job's consumer group and transactional ids start with. */
    public static final String GROUP_PREFIX = "millrace-flink-";

    /**
     * The consumer group and transactional id prefix of a job, with the outputs' suffix, so that a
     * job beside another writes its own transactions.
     */
    public String group(String job) {
        return GROUP_PREFIX + job + outputSuffix;
    }

    /** A topic's name after flink.topic-map. */
    public String topic(String name) {
        return topicMap.getOrDefault(name, name);
    }

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            JOB,
                            CHECKPOINT_INTERVAL,
                            STATE_BACKEND,
                            PARALLELISM,
                            MAX_PARALLELISM,
                            TRANSACTION_TIMEOUT,
                            CHECKPOINT_DIR,
                            OUTPUT_SUFFIX,
                            TOPIC_MAP));

    public static FlinkSettings from(Config config) {
        return new FlinkSettings(
                config.get(JOB),
                config.get(CHECKPOINT_INTERVAL),
                config.get(STATE_BACKEND),
                config.get(PARALLELISM),
                config.get(MAX_PARALLELISM),
                config.get(TRANSACTION_TIMEOUT),
                config.get(CHECKPOINT_DIR),
                config.get(OUTPUT_SUFFIX),
                topicMap(config.get(TOPIC_MAP)));
    }

    private static Map<String, String> topicMap(List<String> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new ConfigException(
                        TOPIC_MAP.name() + ": '" + entry + "' is not catalog-name=name");
            }
            map.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return Map.copyOf(map);
    }
}
