package dev.millrace.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {
    @Test
    void aTransactionTimesOutAfterItsKeyOrTwoCommitIntervals() {
        Path dir = Path.of("state");
        KafkaSettings kafka = KafkaSettings.from(Config.defaults(KafkaSettings.KEYS));
        assertThat(new StreamsSettings(dir, 1, Duration.ofMillis(50)).transactionTimeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(
                        StreamsRunner.properties(
                                        "app",
                                        kafka,
                                        new StreamsSettings(
                                                dir,
                                                1,
                                                Duration.ofMillis(50),
                                                Duration.ofMillis(1500)),
                                        "dlq")
                                .get("producer.transaction.timeout.ms"))
                .isEqualTo(1500);
        assertThat(
                        StreamsRunner.properties(
                                        "app",
                                        kafka,
                                        new StreamsSettings(dir, 1, Duration.ofSeconds(5)),
                                        "dlq")
                                .get("producer.transaction.timeout.ms"))
                .isEqualTo(10_000);
    }
}
