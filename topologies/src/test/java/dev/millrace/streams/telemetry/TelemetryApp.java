package dev.millrace.streams.telemetry;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.telemetry.RaceRules;
import dev.millrace.telemetry.simulation.DemoTrack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The telemetry topology as a process of its own, so that a test can kill it: {@code TelemetryApp
 * <bootstrap servers> <state dir>}. Runs until killed.
 */
public final class TelemetryApp {
    static final RaceRules RULES = new RaceRules(Duration.ofSeconds(5), DemoTrack.FINISH_LINE);

    private TelemetryApp() {}

    static StreamsRunner runner(String bootstrap, Path stateDir) {
        Properties props =
                StreamsRunner.properties(
                        TelemetryTopology.APPLICATION_ID,
                        KafkaSettings.local(bootstrap),
                        new StreamsSettings(stateDir, 1, Duration.ofMillis(100)),
                        TopicCatalog.TELEMETRY_DLQ.name());
        // A killed member holds its partitions until its session expires: keep that short.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        return new StreamsRunner(
                TelemetryTopology.APPLICATION_ID,
                new TelemetryTopology(RULES).build(),
                props,
                new SimpleMeterRegistry());
    }

    public static void main(String[] args) throws InterruptedException {
        StreamsRunner runner = runner(args[0], Path.of(args[1]));
        runner.start();
        Thread.currentThread().join();
    }
}
