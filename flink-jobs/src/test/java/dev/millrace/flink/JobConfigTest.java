package dev.millrace.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.config.ConfigException;
import dev.millrace.config.FlinkSettings;
import dev.millrace.config.KafkaSettings;
import dev.millrace.telemetry.TelemetrySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's settings from Managed Flink's property groups, with millrace's keys and checks. */
class JobConfigTest {
    @TempDir Path dir;

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void everyGroupsKeysAreRead() {
        JobConfig config =
                JobConfig.fromPropertyGroups(
                        Map.of(
                                "kafka",
                                properties(
                                        "kafka.bootstrap-servers", "b-1.msk:9098",
                                        "kafka.auth", "iam"),
                                "millrace",
                                properties(
                                        "telemetry.car-timeout", "7s", "flink.job", "telemetry")));

        assertThat(KafkaSettings.from(config.config()).clientProperties())
                .containsEntry("bootstrap.servers", "b-1.msk:9098")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
        assertThat(config.config().get(TelemetrySettings.CAR_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(FlinkSettings.from(config.config()).job()).isEqualTo("telemetry");
    }

    @Test
    void aBadOrUnknownKeyFailsNamingIt() {
        assertThatThrownBy(
                        () ->
                                JobConfig.fromPropertyGroups(
                                        Map.of(
                                                "g",
                                                properties("flink.checkpoint-interval", "soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("flink.checkpoint-interval");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromPropertyGroups(
                                        Map.of("g", properties("flink.paralelism", "2"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("flink.paralelism");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromPropertyGroups(
                                        Map.of(
                                                "a", properties("wis2.centre-id", "x"),
                                                "b", properties("wis2.centre-id", "y"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wis2.centre-id");
    }

    @Test
    void theLocalFileHasManagedFlinksFormat() throws Exception {
        Path file = dir.resolve("application_properties.json");
        Files.writeString(
                file,
                """
                [{"PropertyGroupId": "millrace",
                  "PropertyMap": {"flink.job": "wis2", "wis2.centre-id": "xx-gc"}}]
                """);
        FlinkMain.Arguments arguments =
                FlinkMain.Arguments.parse(
                        new String[] {"--config", file.toString(), "--set", "flink.parallelism=3"});

        JobConfig config = FlinkMain.load(arguments, false);

        FlinkSettings flink = FlinkSettings.from(config.config());
        assertThat(flink.job()).isEqualTo("wis2");
        assertThat(flink.parallelism()).isEqualTo(3);
        assertThatThrownBy(
                        () ->
                                FlinkMain.load(
                                        FlinkMain.Arguments.parse(
                                                new String[] {
                                                    "--config", dir.resolve("none.json").toString()
                                                }),
                                        false))
                .hasMessageContaining("config file not found");
    }
}
