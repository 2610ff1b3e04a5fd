package dev.millrace.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.config.KafkaSettings;
import dev.millrace.local.testing.EmbeddedKafka;
import dev.millrace.streams.DeadLetterTopologyTest.Reading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared runner against a real broker: exactly-once output and dead letters with headers. */
class StreamsRunnerIT {
    static final TopicSpec<String, Reading> IN = DeadLetterTopologyTest.IN;
    static final TopicSpec<String, Reading> OUT = DeadLetterTopologyTest.OUT;

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
                new StreamsRunner(
                        "it-doubling",
                        DeadLetterTopologyTest.doubling(),
                        props,
                        new SimpleMeterRegistry())) {
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
                    .isEqualTo("negative reading -5.0 from c");
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
