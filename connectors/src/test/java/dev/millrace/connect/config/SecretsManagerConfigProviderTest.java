package dev.millrace.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.millrace.connect.config.testing.FakeSecretsManager;
import dev.millrace.connect.mqtt.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.ConfigTransformerResult;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider with the real AWS SDK client, against {@link FakeSecretsManager} on a loopback port,
 * signing with static test credentials taken by the SDK's default chain from system properties.
 */
class SecretsManagerConfigProviderTest {
    private static final String ACCESS_KEY_ID = "AKIDMILLRACETEST";
    private static final long TTL_MS = 60_000;
    private static final String PASSWORD = "s3cr3t-Pa55word";
    private static final String USERNAME = "connect-user";
    private static final String TOKEN = "plain-t0ken-value";
    private static final String MQTT = "millrace/mqtt";

    /** System properties this test sets, with the values they had before (null: unset). */
    private final Map<String, String> savedProperties = new HashMap<>();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-15T09:00:00Z"));
    private FakeSecretsManager secretsManager;
    private SecretsManagerConfigProvider provider;
    private String mqttArn;

    @TempDir Path dir;

    @BeforeEach
    void start() throws Exception {
        setProperty("aws.accessKeyId", ACCESS_KEY_ID);
        setProperty("aws.secretAccessKey", "test-secret-access-key");
        // Nothing here may ask the instance metadata service for credentials or a region.
        setProperty("aws.disableEc2Metadata", "true");
        secretsManager = FakeSecretsManager.start();
        mqttArn =
                secretsManager.put(
                        MQTT,
                        "{\"username\": \""
                                + USERNAME
                                + "\", \"password\": \""
                                + PASSWORD
                                + "\", \"port\": 8883, \"tls\": {\"verify\": true},"
                                + " \"retired\": null}");
        secretsManager.put("millrace/token", TOKEN);
        provider = new SecretsManagerConfigProvider(clock);
        provider.configure(
                Map.of(
                        "region", FakeSecretsManager.REGION,
                        "endpoint", secretsManager.endpoint(),
                        "ttl.ms", String.valueOf(TTL_MS)));
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        if (secretsManager != null) {
            secretsManager.close();
        }
        savedProperties.forEach(
                (key, value) -> {
                    if (value == null) {
                        System.clearProperty(key);
                    } else {
                        System.setProperty(key, value);
                    }
                });
    }

    private void setProperty(String key, String value) {
        savedProperties.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @Test
    void resolvesTheRequestedFieldsWithOneSignedRead() {
        ConfigData data = provider.get(MQTT, Set.of("username", "password"));

        assertThat(data.data())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("username", USERNAME, "password", PASSWORD));
        assertThat(data.ttl()).isEqualTo(TTL_MS);
        assertThat(secretsManager.requestedIds()).containsExactly(MQTT);
        assertThat(secretsManager.signers()).containsExactly(ACCESS_KEY_ID);
    }

    @Test
    void givesEveryFieldOfTheSecretForAPathAlone() {
        ConfigData data = provider.get(MQTT);

        // Strings as they are, other values as JSON text, a null field absent.
        assertThat(data.data())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "username",
                                USERNAME,
                                "password",
                                PASSWORD,
                                "port",
                                "8883",
                                "tls",
                                "{\"verify\":true}"));
        assertThat(data.ttl()).isEqualTo(TTL_MS);
    }

    @Test
    void givesASecretThatIsNotAJsonObjectWholeUnderTheEmptyField() {
        assertThat(provider.get("millrace/token").data()).isEqualTo(Map.of("", TOKEN));
        assertThat(provider.get("millrace/token", Set.of("")).data()).isEqualTo(Map.of("", TOKEN));

        assertThatThrownBy(() -> provider.get("millrace/token", Set.of("password")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'millrace/token'")
                .hasMessageContaining("'password'")
                .hasMessageContaining("not a JSON object")
                .message()
                .doesNotContain(TOKEN);
    }

    @Test
    void aMissingFieldFailsNamingTheSecretAndTheFieldButNoValue() {
        assertThatThrownBy(() -> provider.get(MQTT, Set.of("username", "pasword")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + MQTT + "'")
                .hasMessageContaining("'pasword'")
                .hasMessageContaining("no such field")
                .message()
                .doesNotContain(PASSWORD, USERNAME, "8883");
    }

    @Test
    void aMissingSecretFailsNamingTheSecretAndTheField() {
        assertThatThrownBy(() -> provider.get("millrace/absent", Set.of("password")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'millrace/absent'")
                .hasMessageContaining("'password'")
                .hasMessageContaining("no such secret")
                .message()
                .doesNotContain(PASSWORD, USERNAME, TOKEN);
        assertThat(secretsManager.requestedIds()).containsExactly("millrace/absent");
    }

    @Test
    void reusesASecretWithinItsTtlAndReadsItAgainAfter() {
        provider.get(MQTT, Set.of("password"));
        clock.advance(Duration.ofMillis(TTL_MS - 1));

        ConfigData cached = provider.get(MQTT, Set.of("username"));

        assertThat(cached.data()).isEqualTo(Map.of("username", USERNAME));
        assertThat(cached.ttl()).as("the time left").isEqualTo(1L);
        assertThat(secretsManager.requestedIds()).containsExactly(MQTT);

        secretsManager.put(MQTT, "{\"password\": \"rotated-Pa55word\"}");
        clock.advance(Duration.ofMillis(1));

        ConfigData read = provider.get(MQTT, Set.of("password"));

        assertThat(read.data()).isEqualTo(Map.of("password", "rotated-Pa55word"));
        assertThat(read.ttl()).isEqualTo(TTL_MS);
        assertThat(secretsManager.requestedIds()).containsExactly(MQTT, MQTT);
    }

    @Test
    void resolvesAConnectorConfigAsTheWorkerDoes() {
        Map<String, ConfigProvider> providers = Map.of("secretsmanager", provider);
        Map<String, String> config =
                Map.of(
                        "mqtt.username", "${secretsmanager:millrace/mqtt:username}",
                        "mqtt.password", "${secretsmanager:millrace/mqtt:password}",
                        "mqtt.client.id", "millrace-source");

        ConfigTransformerResult result = new ConfigTransformer(providers).transform(config);

        assertThat(result.data())
                .isEqualTo(
                        Map.of(
                                "mqtt.username", USERNAME,
                                "mqtt.password", PASSWORD,
                                "mqtt.client.id", "millrace-source"));
        assertThat(result.ttls()).isEqualTo(Map.of(MQTT, TTL_MS));
        assertThat(secretsManager.requestedIds()).containsExactly(MQTT);
    }

    @Test
    void resolvesAReferenceByFullArnDespiteItsColons() {
        Map<String, ConfigProvider> providers = Map.of("secretsmanager", provider);
        Map<String, String> config =
                Map.of(
                        "mqtt.password",
                        "${secretsmanager:" + mqttArn + ":password}",
                        "token",
                        "${secretsmanager:millrace/token:}");

        ConfigTransformerResult result = new ConfigTransformer(providers).transform(config);

        assertThat(result.data()).isEqualTo(Map.of("mqtt.password", PASSWORD, "token", TOKEN));
        assertThat(secretsManager.requestedIds())
                .containsExactlyInAnyOrder(mqttArn, "millrace/token");
    }

    @Test
    void rejectsABadEndpointAndATooShortTtlNamingTheKey() {
        try (var other = new SecretsManagerConfigProvider(clock)) {
            assertThatThrownBy(
                            () ->
                                    other.configure(
                                            Map.of("region", "eu-west-1", "endpoint", "127.0.0.1")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("endpoint");
            assertThatThrownBy(() -> other.configure(Map.of("region", "eu-west-1", "ttl.ms", "10")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("ttl.ms");
        }
    }

    @Test
    void requiresARegionWhenTheSdkFindsNone() {
        assumeThat(System.getenv("AWS_REGION")).as("AWS_REGION in the environment").isNull();
        setProperty("aws.configFile", dir.resolve("no-config").toString());
        setProperty("aws.sharedCredentialsFile", dir.resolve("no-credentials").toString());
        savedProperties.putIfAbsent("aws.region", System.getProperty("aws.region"));
        System.clearProperty("aws.region");

        try (var other = new SecretsManagerConfigProvider(clock)) {
            assertThatThrownBy(() -> other.configure(Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("region");
        }
    }
}
