package dev.millrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void localProfileIsPlaintext() {
        Map<String, Object> props = KafkaSettings.local("127.0.0.1:9092").clientProperties();

        assertThat(props)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "bootstrap.servers", "127.0.0.1:9092",
                                "security.protocol", "PLAINTEXT"));
    }

    @Test
    void iamProfileConfiguresSaslSslWithTheMskLoginModule() {
        Config config =
                Config.builder(KafkaSettings.KEYS)
                        .flags(
                                Map.of(
                                        "kafka.bootstrap-servers",
                                        "b-1.msk.example:9098,b-2.msk.example:9098",
                                        "kafka.auth",
                                        "iam"))
                        .build();

        Map<String, Object> props = KafkaSettings.from(config).clientProperties();

        assertThat(props)
                .containsEntry("bootstrap.servers", "b-1.msk.example:9098,b-2.msk.example:9098")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry(
                        "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
                .containsEntry(
                        "sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }

    @Test
    void iamRoleAndProfileBecomeLoginModuleOptions() {
        Config config =
                Config.builder(KafkaSettings.KEYS)
                        .environment(
                                Map.of(
                                        "MILLRACE_KAFKA_AUTH", "iam",
                                        "MILLRACE_KAFKA_IAM_ROLE_ARN",
                                                "arn:aws:iam::123456789012:role/millrace",
                                        "MILLRACE_KAFKA_IAM_ROLE_SESSION_NAME", "ingest",
                                        "MILLRACE_KAFKA_IAM_STS_REGION", "eu-west-1"))
                        .build();

        assertThat(KafkaSettings.from(config).clientProperties())
                .containsEntry(
                        "sasl.jaas.config",
                        "software.amazon.msk.auth.iam.IAMLoginModule required"
                                + " awsRoleArn=\"arn:aws:iam::123456789012:role/millrace\""
                                + " awsRoleSessionName=\"ingest\" awsStsRegion=\"eu-west-1\";");
    }

    @Test
    void clientOverridesApplyLast() {
        Config config =
                Config.builder(KafkaSettings.KEYS)
                        .flags(
                                Map.of(
                                        "kafka.client.security.protocol", "SSL",
                                        "kafka.client.linger.ms", "5"))
                        .build();

        assertThat(KafkaSettings.from(config).clientProperties())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("linger.ms", "5");
    }

    @Test
    void refusesQuotesThatWouldBreakTheJaasConfig() {
        Config config =
                Config.builder(KafkaSettings.KEYS)
                        .flags(Map.of("kafka.auth", "iam", "kafka.iam.profile", "x\" evil=\"y"))
                        .build();

        assertThatThrownBy(() -> KafkaSettings.from(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.iam.*");
    }
}
