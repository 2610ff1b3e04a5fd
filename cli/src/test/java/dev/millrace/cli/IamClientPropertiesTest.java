package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The {@code kafka.auth=iam} profile yields properties Kafka's clients accept for MSK. */
class IamClientPropertiesTest {

    private static Map<String, Object> iamProperties() {
        Config config =
                Config.builder(Settings.ALL)
                        .flags(
                                Map.of(
                                        "kafka.auth", "iam",
                                        "kafka.bootstrap-servers",
                                                "b-1.example.kafka.us-east-1.amazonaws.com:9098",
                                        "kafka.iam.role-arn",
                                                "arn:aws:iam::123456789012:role/millrace"))
                        .build();
        return KafkaSettings.from(config).clientProperties();
    }

    @Test
    void clientConfigsAcceptTheIamProperties() {
        Map<String, Object> producerProps = new HashMap<>(iamProperties());
        producerProps.put("key.serializer", ByteArraySerializer.class);
        producerProps.put("value.serializer", ByteArraySerializer.class);
        ProducerConfig producer = new ProducerConfig(producerProps);
        AdminClientConfig admin = new AdminClientConfig(iamProperties());

        assertThat(producer.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(admin.getString(SaslConfigs.SASL_MECHANISM)).isEqualTo("AWS_MSK_IAM");
        assertThat(admin.getClass(SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS).getName())
                .isEqualTo("software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }

    @Test
    void jaasConfigNamesTheMskLoginModuleWithTheRole() throws Exception {
        AdminClientConfig config = new AdminClientConfig(iamProperties());
        AppConfigurationEntry entry =
                JaasContext.loadClientContext(config.values()).configurationEntries().get(0);

        assertThat(entry.getLoginModuleName())
                .isEqualTo("software.amazon.msk.auth.iam.IAMLoginModule");
        assertThat(entry.getControlFlag())
                .isEqualTo(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED);
        assertThat(entry.getOptions().get("awsRoleArn"))
                .isEqualTo("arn:aws:iam::123456789012:role/millrace");
        assertThat(Class.forName(entry.getLoginModuleName()).getName())
                .isEqualTo(entry.getLoginModuleName());
    }
}
