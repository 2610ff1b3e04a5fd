package dev.millrace.streams;

import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Settings shared by every Kafka Streams application. */
public record StreamsSettings(
        Path stateDir, int threads, Duration commitInterval, Duration transactionTimeout) {
    public static final ConfigKey<Integer> THREADS =
            ConfigKey.integer(
                    "streams.num-stream-threads",
                    1,
                    1,
                    64,
                    "Stream threads per Kafka Streams application.");
    public static final ConfigKey<Duration> COMMIT_INTERVAL =
            ConfigKey.duration(
                    "streams.commit-interval",
                    Duration.ofMillis(50),
                    Duration.ofMillis(1),
                    "How often a Streams application commits its transaction: the floor of"
                            + " end-to-end latency under exactly-once (outputs are visible to"
                            + " read_committed consumers at commits). 50ms keeps telemetry's p99"
                            + " under 250 ms end to end; longer intervals commit less often.");

    public static final ConfigKey<Duration> TRANSACTION_TIMEOUT =
            ConfigKey.duration(
                    "streams.transaction-timeout",
                    Duration.ofSeconds(3),
                    Duration.ofMillis(100),
                    "How long a Streams application's transaction may stay open before the"
                            + " coordinator aborts it. An application whose stores are all in"
                            + " memory (telemetry, wis2) starts under a new transactional id, so"
                            + " the open transaction of an instance that crashed holds up"
                            + " read_committed readers of its partitions until this lapses (and"
                            + " the broker's next sweep). At least twice streams.commit-interval,"
                            + " whichever is longer.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(List.of(THREADS, COMMIT_INTERVAL, TRANSACTION_TIMEOUT));

    /** With the default transaction timeout. */
    public StreamsSettings(Path stateDir, int threads, Duration commitInterval) {
        this(stateDir, threads, commitInterval, TRANSACTION_TIMEOUT.defaultValue());
    }

    public static StreamsSettings from(Config config) {
        return new StreamsSettings(
                config.get(CommonSettings.DATA_DIR).resolve("streams"),
                config.get(THREADS),
                config.get(COMMIT_INTERVAL),
                config.get(TRANSACTION_TIMEOUT));
    }
}
