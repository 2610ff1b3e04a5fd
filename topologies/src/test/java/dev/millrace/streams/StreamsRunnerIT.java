package dev.millrace.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.config.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared runner against a real broker: exactly-once output and dead letters with headers. */
class StreamsRunnerIT {
    record Reading(String sensor, double value) {}

    static final TopicSpec<String, Reading> IN =
            new TopicSpec<>("it.readings", Serdes.String(), JsonSerde.of(Reading.class));
    static final TopicSpec<String, Reading> OUT =
            new TopicSpec<>("it.doubled", Serdes.String(), JsonSerde.of(Reading.class));
    static final String DLQ = "it.dlq";

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(IN.name(), OUT.name(), DLQ);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    static Topology doubling() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN.name(), IN.consumed("readings-source"))
                .mapValues(
                        r -> {
                            if (r.value() < 0) {
                                throw new IllegalArgumentException("negative reading");
                            }
                            return new Reading(r.sensor(), r.value() * 2);
                        },
                        Named.as("double-values"))
                .to(OUT.name(), OUT.produced("doubled-sink"));
        return builder.build();
    }

    @Test
    void processesExactlyOnceAndDeadLettersBadRecordsWithTheirOrigin(@TempDir Path stateDir)
            throws Exception {
        var props =
                StreamsRunner.properties(
                        "it-doubling",
                        KafkaSettings.local(kafka.bootstrapServers()),
                        new StreamsSettings(stateDir, 1, Duration.ofMillis(100)),
                        DLQ);
        assertThat(props)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        kafka.produce(IN.name(), bytes("a"), bytes("{\"sensor\":\"a\",\"value\":1}"));
        kafka.produce(IN.name(), bytes("b"), bytes("{broken"));
        kafka.produce(IN.name(), bytes("c"), bytes("{\"sensor\":\"c\",\"value\":-5}"));
        kafka.produce(IN.name(), bytes("d"), bytes("{\"sensor\":\"d\",\"value\":4}"));

        try (StreamsRunner runner =
                new StreamsRunner("it-doubling", doubling(), props, new SimpleMeterRegistry())) {
            runner.start();

            List<ConsumerRecord<byte[], byte[]>> out =
                    kafka.readUntil(OUT.name(), r -> r.size() >= 2, Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> dead =
                    kafka.readUntil(DLQ, r -> r.size() >= 2, Duration.ofSeconds(30));

            assertThat(out)
                    .extracting(r -> text(r.value()))
                    .containsExactly(
                            "{\"sensor\":\"a\",\"value\":2.0}", "{\"sensor\":\"d\",\"value\":8.0}");
            assertThat(dead)
                    .extracting(r -> text(r.value()))
                    .containsExactly("{broken", "{\"sensor\":\"c\",\"value\":-5}");
            ConsumerRecord<byte[], byte[]> broken = dead.get(0);
            assertThat(header(broken, "__streams.errors.topic")).isEqualTo(IN.name());
            assertThat(header(broken, "__streams.errors.partition")).isEqualTo("0");
            assertThat(header(broken, "__streams.errors.offset")).isEqualTo("1");
            assertThat(header(broken, "__streams.errors.message"))
                    .startsWith("not a valid Reading JSON value");
            assertThat(header(dead.get(1), "__streams.errors.offset")).isEqualTo("2");
            assertThat(header(dead.get(1), "__streams.errors.message"))
                    .isEqualTo("negative reading");
            assertThat(runner.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(runner.problem()).isNull();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return text(r.headers().lastHeader(name).value());
    }
}
