package dev.millrace.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a component reaches Kafka: bootstrap servers, authentication and client overrides. The same
 * record serves a laptop ({@code kafka.auth=none}) and Amazon MSK ({@code kafka.auth=iam}, SASL_SSL
 * with the MSK IAM login module), so production is the same code with another profile.
 */
public record KafkaSettings(
        String bootstrapServers,
        Auth auth,
        String iamRoleArn,
        String iamRoleSessionName,
        String iamProfile,
        String iamStsRegion,
        int replicationFactor,
        String instanceId,
        Map<String, String> clientOverrides) {

    /** How clients authenticate to the brokers. */
    public enum Auth {
        /** PLAINTEXT, as the local stack listens. */
        NONE,
        /** TLS without client authentication. */
        TLS,
        /** SASL_SSL with {@code AWS_MSK_IAM}, as MSK with IAM access control expects. */
        IAM
    }

    /**
     * The {@code retry.backoff.ms} of a transactional producer. Under transaction protocol 2 a
     * transaction's partitions are added by its produce requests, which the broker answers
     * CONCURRENT_TRANSACTIONS while the previous transaction completes; the client retries them
     * after the producer's retry backoff (100 ms by default, where it waited 20 ms for the old
     * AddPartitionsToTxn request), and with commits every 50 ms that wait came often.
     */
    public static final int TRANSACTIONAL_RETRY_BACKOFF_MS = 10;

    public static final String IAM_LOGIN_MODULE = "software.amazon.msk.auth.iam.IAMLoginModule";
    public static final String IAM_CALLBACK_HANDLER =
            "software.amazon.msk.auth.iam.IAMClientCallbackHandler";

    public static final ConfigKey<String> BOOTSTRAP_SERVERS =
            ConfigKey.string(
                    "kafka.bootstrap-servers",
                    "127.0.0.1:9092",
                    "Kafka bootstrap servers (host:port, comma-separated). The local stack ignores"
                            + " it and uses its own broker.");
    public static final ConfigKey<Auth> AUTH =
            ConfigKey.choice(
                    "kafka.auth",
                    Auth.class,
                    Auth.NONE,
                    "Client authentication: none (PLAINTEXT), tls (SSL) or iam (SASL_SSL with"
                            + " AWS_MSK_IAM for Amazon MSK).");
    public static final ConfigKey<String> IAM_ROLE_ARN =
            ConfigKey.string(
                    "kafka.iam.role-arn",
                    "",
                    "With kafka.auth=iam: a role to assume for MSK access; empty uses the default"
                            + " AWS credentials chain.");
    public static final ConfigKey<String> IAM_ROLE_SESSION_NAME =
            ConfigKey.string(
                    "kafka.iam.role-session-name",
                    "",
                    "With kafka.iam.role-arn: the session name of the assumed role.");
    public static final ConfigKey<String> IAM_PROFILE =
            ConfigKey.string(
                    "kafka.iam.profile",
                    "",
                    "With kafka.auth=iam: a named AWS profile to take credentials from.");
    public static final ConfigKey<String> IAM_STS_REGION =
            ConfigKey.string(
                    "kafka.iam.sts-region",
                    "",
                    "With kafka.iam.role-arn: the region of the STS endpoint used to assume the"
                            + " role.");
    public static final ConfigKey<Integer> REPLICATION_FACTOR =
            ConfigKey.integer(
                    "kafka.replication-factor",
                    -1,
                    -1,
                    Short.MAX_VALUE,
                    "Replication factor of the topics millrace creates; -1 takes the broker's"
                            + " default.replication.factor.");

    public static final ConfigKey<String> INSTANCE_ID =
            ConfigKey.string(
                    "kafka.instance-id",
                    "",
                    "A stable id of this process among the instances of a component, unique per"
                            + " instance (an ECS task's slot, a pod's name): its consumers join"
                            + " their groups as static members (group.instance.id), so a restart"
                            + " after a crash takes its partitions back at once instead of after"
                            + " the session timeout of its dead self. Empty: dynamic membership."
                            + " The local stack sets it.");

    public static final String CLIENT_PREFIX = "kafka.client.";

    public static final ConfigKeys KEYS =
            ConfigKeys.of(
                    List.of(
                            BOOTSTRAP_SERVERS,
                            AUTH,
                            IAM_ROLE_ARN,
                            IAM_ROLE_SESSION_NAME,
                            IAM_PROFILE,
                            IAM_STS_REGION,
                            REPLICATION_FACTOR,
                            INSTANCE_ID),
                    new ConfigKeys.Prefix(
                            CLIENT_PREFIX,
                            "Any Kafka client property, prefix removed (e.g."
                                    + " kafka.client.linger.ms=5), applied to every client last."));

    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
        for (var v : List.of(iamRoleArn, iamRoleSessionName, iamProfile, iamStsRegion)) {
            if (v.indexOf('"') >= 0 || v.indexOf(';') >= 0) {
                throw new ConfigException(
                        "kafka.iam.* values may not contain quotes or semicolons: " + v);
            }
        }
    }

    public static KafkaSettings from(Config config) {
        return new KafkaSettings(
                config.get(BOOTSTRAP_SERVERS),
                config.get(AUTH),
                config.get(IAM_ROLE_ARN),
                config.get(IAM_ROLE_SESSION_NAME),
                config.get(IAM_PROFILE),
                config.get(IAM_STS_REGION),
                config.get(REPLICATION_FACTOR),
                config.get(INSTANCE_ID),
                config.withPrefix(CLIENT_PREFIX));
    }

    /** Plain local settings for the given bootstrap servers. */
    public static KafkaSettings local(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Auth.NONE, "", "", "", "", -1, "", Map.of());
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(
                servers,
                auth,
                iamRoleArn,
                iamRoleSessionName,
                iamProfile,
                iamStsRegion,
                replicationFactor,
                instanceId,
                clientOverrides);
    }

    public KafkaSettings withInstanceId(String id) {
        return new KafkaSettings(
                bootstrapServers,
                auth,
                iamRoleArn,
                iamRoleSessionName,
                iamProfile,
                iamStsRegion,
                replicationFactor,
                id,
                clientOverrides);
    }

    /**
     * The {@code group.instance.id} of this process's member of {@code group} when it has a stable
     * id ({@code kafka.instance-id}), making it a static member.
     */
    public Optional<String> groupInstanceId(String group) {
        return instanceId.isBlank() ? Optional.empty() : Optional.of(group + "-" + instanceId);
    }

    /**
     * The properties every Kafka client (admin, producer, consumer, Streams, Connect) starts from:
     * bootstrap servers, security, then the {@code kafka.client.*} overrides.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        switch (auth) {
            case NONE -> props.put("security.protocol", "PLAINTEXT");
            case TLS -> props.put("security.protocol", "SSL");
            case IAM -> {
                props.put("security.protocol", "SASL_SSL");
                props.put("sasl.mechanism", "AWS_MSK_IAM");
                props.put("sasl.jaas.config", iamJaasConfig());
                props.put("sasl.client.callback.handler.class", IAM_CALLBACK_HANDLER);
            }
        }
        props.putAll(clientOverrides);
        return props;
    }

    private String iamJaasConfig() {
        StringBuilder jaas = new StringBuilder(IAM_LOGIN_MODULE).append(" required");
        option(jaas, "awsRoleArn", iamRoleArn);
        option(jaas, "awsRoleSessionName", iamRoleSessionName);
        option(jaas, "awsProfileName", iamProfile);
        option(jaas, "awsStsRegion", iamStsRegion);
        return jaas.append(';').toString();
    }

    private static void option(StringBuilder jaas, String name, String value) {
        if (!value.isBlank()) {
            jaas.append(' ').append(name).append("=\"").append(value).append('"');
        }
    }
}
