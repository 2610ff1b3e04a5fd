package dev.millrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    static final ConfigKey<Integer> PORT = ConfigKey.port("local.kafka.port", 9092, "port");
    static final ConfigKey<Duration> TIMEOUT =
            ConfigKey.duration("telemetry.car-timeout", Duration.ofSeconds(5), Duration.ZERO, "t");
    static final ConfigKey<Long> MAX_BODY =
            ConfigKey.bytes("audit.max-body", 6L << 20, 1, "body limit");
    static final ConfigKey<List<String>> KEYS_LIST =
            ConfigKey.list("audit.api-keys", List.of(), "keys");
    static final ConfigKey<String> SECRET = ConfigKey.secret("s3.secret-key", "x", "secret");
    static final ConfigKeys ALL =
            ConfigKeys.of(
                    List.of(PORT, TIMEOUT, MAX_BODY, KEYS_LIST, SECRET),
                    new ConfigKeys.Prefix("kafka.client.", "pass-through"));

    @TempDir Path dir;

    @Test
    void usesDefaultsWhenNothingIsSet() {
        Config config = Config.defaults(ALL);

        assertThat(config.get(PORT)).isEqualTo(9092);
        assertThat(config.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.origin(PORT)).isEqualTo("default");
        assertThat(config.isSet(PORT)).isFalse();
    }

    @Test
    void laterSourcesWinFileThenEnvironmentThenFlags() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(
                file, "local.kafka.port=1000\ntelemetry.car-timeout=7s\naudit.max-body=1MiB\n");

        Config config =
                Config.builder(ALL)
                        .file(file)
                        .environment(
                                Map.of(
                                        "MILLRACE_LOCAL_KAFKA_PORT", "2000",
                                        "MILLRACE_TELEMETRY_CAR_TIMEOUT", "9s"))
                        .flags(Map.of("local.kafka.port", "3000"))
                        .build();

        assertThat(config.get(PORT)).isEqualTo(3000);
        assertThat(config.origin(PORT)).isEqualTo("flag local.kafka.port");
        assertThat(config.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(9));
        assertThat(config.origin(TIMEOUT)).isEqualTo("environment MILLRACE_TELEMETRY_CAR_TIMEOUT");
        assertThat(config.get(MAX_BODY)).isEqualTo(1L << 20);
        assertThat(config.origin(MAX_BODY)).isEqualTo("file " + file);
    }

    @Test
    void mapsEnvironmentNamesWithDotsAndDashesAsUnderscores() {
        assertThat(KEYS_LIST.envName()).isEqualTo("MILLRACE_AUDIT_API_KEYS");
        assertThat(TIMEOUT.envName()).isEqualTo("MILLRACE_TELEMETRY_CAR_TIMEOUT");

        Config config =
                Config.builder(ALL)
                        .environment(Map.of("MILLRACE_AUDIT_API_KEYS", " a , b,,c ", "PATH", "/x"))
                        .build();

        assertThat(config.get(KEYS_LIST)).containsExactly("a", "b", "c");
    }

    @Test
    void refusesABadValueNamingTheKeyAndWhereItCameFrom() {
        assertThatThrownBy(
                        () ->
                                Config.builder(ALL)
                                        .environment(Map.of("MILLRACE_LOCAL_KAFKA_PORT", "70000"))
                                        .build())
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "bad value '70000' for key local.kafka.port (environment"
                                + " MILLRACE_LOCAL_KAFKA_PORT): must be between 1 and 65535");
    }

    @Test
    void refusesAnUnknownKeyFromAnySource() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "local.kafka.prot=1\n");

        assertThatThrownBy(() -> Config.builder(ALL).file(file).build())
                .hasMessage("unknown key local.kafka.prot (file " + file + ")");
        assertThatThrownBy(
                        () ->
                                Config.builder(ALL)
                                        .environment(Map.of("MILLRACE_NO_SUCH", "1"))
                                        .build())
                .hasMessage("unknown environment variable MILLRACE_NO_SUCH: it sets no key");
        assertThatThrownBy(() -> Config.builder(ALL).flags(Map.of("nope", "1")).build())
                .hasMessage("unknown key nope (flag nope)");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(
                        () ->
                                Config.builder(ALL)
                                        .flags(
                                                Map.of(
                                                        "local.kafka.port", "x",
                                                        "telemetry.car-timeout", "soon"))
                                        .build())
                .hasMessageContaining("local.kafka.port")
                .hasMessageContaining("telemetry.car-timeout");
    }

    @Test
    void passesPrefixedKeysThroughWithThePrefixRemoved() {
        Config config =
                Config.builder(ALL)
                        .flags(Map.of("kafka.client.linger.ms", "5"))
                        .environment(Map.of("MILLRACE_KAFKA_CLIENT_COMPRESSION_TYPE", "lz4"))
                        .build();

        assertThat(config.withPrefix("kafka.client."))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("linger.ms", "5", "compression.type", "lz4"));
    }

    @Test
    void refusesAMissingConfigFile() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> Config.builder(ALL).file(missing))
                .hasMessage("config file not found: " + missing);
    }

    @Test
    void parsesDurationsAndSizesInTheirWrittenUnits() {
        assertThat(ConfigKey.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigKey.parseDuration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(ConfigKey.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigKey.parseDuration("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ConfigKey.parseBytes("512KiB")).isEqualTo(512L * 1024);
        assertThat(ConfigKey.parseBytes("6MiB")).isEqualTo(6L * 1024 * 1024);
        assertThat(ConfigKey.formatDuration(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(ConfigKey.formatBytes(6L * 1024 * 1024)).isEqualTo("6MiB");
    }

    @Test
    void refusesADurationBelowItsMinimum() {
        ConfigKey<Duration> retention =
                ConfigKey.duration(
                        "wis2.cache.retention", Duration.ofHours(24), Duration.ofHours(24), "r");

        assertThatThrownBy(
                        () ->
                                Config.builder(ConfigKeys.of(List.of(retention)))
                                        .flags(Map.of("wis2.cache.retention", "1h"))
                                        .build())
                .hasMessageEndingWith(
                        "wis2.cache.retention (flag wis2.cache.retention): must be at least 1d");
    }

    @Test
    void refusesASizeAboveItsMaximum() {
        ConfigKey<Long> headers =
                ConfigKey.bytes("http.max-header-size", 8L * 1024, 1024, 1L << 20, "h");

        assertThatThrownBy(
                        () ->
                                Config.builder(ConfigKeys.of(List.of(headers)))
                                        .flags(Map.of("http.max-header-size", "2MiB"))
                                        .build())
                .hasMessageEndingWith(
                        "http.max-header-size (flag http.max-header-size): must be at most 1MiB");
    }

    @Test
    void readsChoicesInLowerCase() {
        Config config =
                Config.builder(KafkaSettings.KEYS).flags(Map.of("kafka.auth", "IAM")).build();

        assertThat(config.get(KafkaSettings.AUTH)).isEqualTo(KafkaSettings.Auth.IAM);
        assertThatThrownBy(
                        () ->
                                Config.builder(KafkaSettings.KEYS)
                                        .flags(Map.of("kafka.auth", "kerberos"))
                                        .build())
                .hasMessageEndingWith("must be one of none, tls, iam");
    }
}
