package dev.millrace.streams;

import static dev.millrace.streams.internal.DeadLetters.HEADER_MESSAGE;
import static dev.millrace.streams.internal.DeadLetters.HEADER_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's processing handler, exercised through the harness every topology test uses. (The
 * test driver does not deliver the dead letters of the deserialization handler; {@code
 * StreamsRunnerIT} checks those against a real broker.)
 */
class DeadLetterTopologyTest {
    record Reading(String sensor, double value) {}

    static final TopicSpec<String, Reading> IN =
            new TopicSpec<>("test.readings", Serdes.String(), JsonSerde.of(Reading.class));
    static final TopicSpec<String, Reading> OUT =
            new TopicSpec<>("test.doubled", Serdes.String(), JsonSerde.of(Reading.class));
    static final TopicSpec<String, String> RAW_IN =
            new TopicSpec<>(IN.name(), Serdes.String(), Serdes.String());

    @TempDir Path stateDir;
    TopologyHarness harness;
    TestInputTopic<String, String> rawInput;
    TestOutputTopic<String, Reading> output;
    TestOutputTopic<byte[], byte[]> dlq;

    static Topology doubling() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN.name(), IN.consumed("readings-source"))
                .mapValues(
                        r -> {
                            if (r.value() < 0) {
                                throw new IllegalArgumentException(
                                        "negative reading " + r.value() + " from " + r.sensor());
                            }
                            return new Reading(r.sensor(), r.value() * 2);
                        },
                        org.apache.kafka.streams.kstream.Named.as("double-values"))
                .to(OUT.name(), OUT.produced("doubled-sink"));
        return builder.build();
    }

    @BeforeEach
    void start() {
        harness = new TopologyHarness(doubling(), stateDir, "test.dlq");
        rawInput = harness.input(RAW_IN);
        output = harness.output(OUT);
        dlq = harness.deadLetters();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void processesGoodRecords() {
        rawInput.pipeInput("s1", "{\"sensor\":\"s1\",\"value\":2.5}");

        assertThat(output.readKeyValuesToList())
                .extracting(kv -> kv.value)
                .containsExactly(new Reading("s1", 5.0));
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void deadLettersARecordWhoseProcessingThrowsAndGoesOn() {
        rawInput.pipeInput("s1", "{\"sensor\":\"s1\",\"value\":-1}");
        rawInput.pipeInput("s1", "{\"sensor\":\"s1\",\"value\":3}");

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"sensor\":\"s1\",\"value\":-1}");
        assertThat(header(dead.headers(), HEADER_MESSAGE))
                .isEqualTo("negative reading -1.0 from s1");
        assertThat(header(dead.headers(), HEADER_OFFSET)).isEqualTo("0");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(output.readValuesToList()).containsExactly(new Reading("s1", 6.0));
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
