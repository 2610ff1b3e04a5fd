package dev.millrace.streams;

import dev.millrace.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@link TopologyTestDriver} over a production topology with the production properties of {@link
 * StreamsRunner} (dead-letter handlers included), a fixed start time and the caller's temp state
 * dir. Inputs and outputs are opened from the same {@link TopicSpec}s the topology uses.
 */
public final class TopologyHarness implements AutoCloseable {
    /** The wall-clock and first record time of every test. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final TopologyTestDriver driver;
    private final String dlqTopic;

    public TopologyHarness(Topology topology, Path stateDir, String dlqTopic) {
        this.dlqTopic = dlqTopic;
        Properties props =
                StreamsRunner.properties(
                        "test-" + Math.abs(topology.describe().hashCode()),
                        KafkaSettings.local("test:9092"),
                        new StreamsSettings(stateDir, 1, Duration.ofMillis(100)),
                        dlqTopic);
        this.driver = new TopologyTestDriver(topology, props, START);
    }

    public <K, V> TestInputTopic<K, V> input(TopicSpec<K, V> topic) {
        return driver.createInputTopic(
                topic.name(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                START,
                Duration.ZERO);
    }

    public <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** The dead-letter topic, raw: dead letters keep the bytes they arrived with. */
    public TestOutputTopic<byte[], byte[]> deadLetters() {
        return driver.createOutputTopic(
                dlqTopic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
