package dev.millrace.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void readsTheHeadersATopologyOrAFlinkJobWrites() {
        DeadLetter letter =
                DeadLetter.from(
                        DeadLetterHeaders.of(
                                new IllegalArgumentException("carIndex is not a number"),
                                "telemetry.car-coordinates",
                                2,
                                41));

        assertThat(letter)
                .isEqualTo(
                        new DeadLetter(
                                "telemetry.car-coordinates",
                                2,
                                41,
                                "java.lang.IllegalArgumentException",
                                "carIndex is not a number"));
        assertThat(letter.hasSource()).isTrue();
    }

    @Test
    void readsTheHeadersKafkaConnectWritesForAnErrantRecord() {
        DeadLetter letter =
                DeadLetter.from(
                        Map.of(
                                "__connect.errors.topic", "audit.messages",
                                "__connect.errors.partition", "1",
                                "__connect.errors.offset", "7",
                                "__connect.errors.exception.class.name", "java.io.IOException",
                                "__connect.errors.exception.message", "bucket unreachable"));

        assertThat(letter)
                .isEqualTo(
                        new DeadLetter(
                                "audit.messages",
                                1,
                                7,
                                "java.io.IOException",
                                "bucket unreachable"));
    }

    @Test
    void aMessageTheMqttSourceCouldNotMapHasNoSourceTopic() {
        DeadLetter letter =
                DeadLetter.from(Map.of("mqtt.topic", "a/b", "mqtt.error", "no mapping for a/b"));

        assertThat(letter.hasSource()).isFalse();
        assertThat(letter.reason()).isEqualTo("no mapping for a/b");
        assertThat(
                        DeadLetter.from(
                                        Map.of(
                                                "__streams.errors.topic",
                                                "t",
                                                "__streams.errors.offset",
                                                "x"))
                                .sourceOffset())
                .isEqualTo(-1);
    }

    @Test
    void onlyTheHeadersThatDeadLetteringAddedAreDeadLetterHeaders() {
        assertThat(DeadLetter.isDeadLetterHeader(DeadLetterHeaders.MESSAGE)).isTrue();
        assertThat(DeadLetter.isDeadLetterHeader("__connect.errors.topic")).isTrue();
        assertThat(DeadLetter.isDeadLetterHeader("mqtt.error")).isTrue();
        assertThat(DeadLetter.isDeadLetterHeader("mqtt.topic")).isFalse();
        assertThat(DeadLetter.isDeadLetterHeader("idempotency-key")).isFalse();
    }
}
