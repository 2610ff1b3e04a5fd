package dev.millrace.cdk;

import dev.millrace.connect.mqtt.source.MqttSourceConnectorConfig;
import dev.millrace.connect.s3.S3SinkConnector;
import dev.millrace.connect.s3.S3SinkConnectorConfig;
import dev.millrace.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.storage.StringConverter;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kafkaconnect.CfnConnector;
import software.amazon.awscdk.services.kafkaconnect.CfnCustomPlugin;
import software.amazon.awscdk.services.kafkaconnect.CfnWorkerConfiguration;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The registry's connectors on MSK Connect: one custom plugin from the build's plugin archive, one
 * worker configuration, and one connector per connector of every pipeline this environment runs,
 * with the registry's config (Kafka through IAM, S3 through the connector's role). The MQTT
 * password is not in the template: the config names it in Secrets Manager, and the worker's config
 * provider reads it when the connector starts. Each connector has its own role, allowed only the
 * topics its config names, its group, and its pipeline's buckets.
 */
public final class ConnectorsConstruct extends Construct {
    /** MSK Connect's runtime: Kafka Connect 3.7 on Java 17. */
    public static final String CONNECT_VERSION = "3.7.x";

    /** The config provider the worker configuration declares, by the name configs use. */
    public static final String SECRETS_PROVIDER = "secretsmanager";

    /**
     * The Secrets Manager config provider's class, which the plugin archive must carry (MSK Connect
     * loads providers from custom plugins only).
     */
    public static final String SECRETS_PROVIDER_CLASS =
            "dev.millrace.connect.config.SecretsManagerConfigProvider";

    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    private final Map<String, CfnConnector> connectors = new LinkedHashMap<>();

    public ConnectorsConstruct(
            Construct scope,
            String id,
            EnvironmentConfig env,
            Platform platform,
            NetworkConstruct network,
            KafkaClusterConstruct kafka,
            java.nio.file.Path pluginZip,
            ISecret mqttSecret,
            Map<String, Bucket> bucketsByName) {
        super(scope, id);
        Asset archive =
                Asset.Builder.create(this, "PluginArchive").path(pluginZip.toString()).build();
        CfnCustomPlugin plugin =
                CfnCustomPlugin.Builder.create(this, "Plugin")
                        // Plugins are immutable: a new archive is a new plugin, named by its hash.
                        .name(
                                env.prefix()
                                        + "-connectors-"
                                        + archive.getAssetHash().substring(0, 12))
                        .contentType("ZIP")
                        .description("millrace connectors (MQTT source and sink, S3 sink)")
                        .location(
                                CfnCustomPlugin.CustomPluginLocationProperty.builder()
                                        .s3Location(
                                                CfnCustomPlugin.S3LocationProperty.builder()
                                                        .bucketArn(
                                                                archive.getBucket().getBucketArn())
                                                        .fileKey(archive.getS3ObjectKey())
                                                        .build())
                                        .build())
                        .build();
        CfnWorkerConfiguration worker =
                CfnWorkerConfiguration.Builder.create(this, "WorkerConfiguration")
                        .name(env.prefix() + "-worker-" + workerHash(env))
                        .description("millrace connectors: converters, Secrets Manager provider")
                        .propertiesFileContent(
                                Base64.getEncoder()
                                        .encodeToString(
                                                workerProperties(env.region())
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .build();
        LogGroup logs =
                LogGroup.Builder.create(this, "Logs")
                        .logGroupName("/millrace/" + env.name() + "/connect")
                        .retention(FargateComponentConstruct.retention(env.logRetentionDays()))
                        .removalPolicy(env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                        .build();
        SecurityGroup securityGroup =
                SecurityGroup.Builder.create(this, "SecurityGroup")
                        .vpc(network.vpc())
                        .description(env.prefix() + " MSK Connect workers")
                        .allowAllOutbound(true)
                        .build();
        kafka.allowClient(securityGroup, env.prefix() + " MSK Connect workers");
        KafkaAccess access = kafka.access();

        for (Pipeline pipeline : platform.pipelines()) {
            Map<String, Map<String, String>> registry = pipeline.connectors(platform.context());
            for (var entry : registry.entrySet()) {
                String name = env.prefix() + "-" + entry.getKey();
                Map<String, String> config = new LinkedHashMap<>(entry.getValue());
                // The provider is read once at start; MSK Connect would otherwise restart
                // connectors to reload it.
                config.put(ConnectorConfig.CONFIG_RELOAD_ACTION_CONFIG, "none");
                configs.put(name, config);
                Role role =
                        Role.Builder.create(this, entry.getKey() + "Role")
                                .assumedBy(new ServicePrincipal("kafkaconnect.amazonaws.com"))
                                .description("MSK Connect connector " + name)
                                .build();
                Set<String> reads = reads(config);
                Set<String> writes = writes(config);
                access.grantClient(
                        role,
                        reads,
                        writes,
                        reads.isEmpty() ? List.of() : List.of("connect-" + name),
                        List.of());
                // MSK Connect's own state topics and groups.
                access.grantOwnPrefix(role, "__amazon_msk_connect_");
                mqttSecret.grantRead(role);
                if (S3SinkConnector.class
                        .getName()
                        .equals(config.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG))) {
                    for (String bucket : pipeline.buckets(platform.config())) {
                        Bucket b = bucketsByName.get(bucket);
                        if (b != null) {
                            b.grantReadWrite(role);
                            b.grantDelete(role);
                        }
                    }
                }
                logs.grantWrite(role);
                CfnConnector connector =
                        CfnConnector.Builder.create(this, entry.getKey())
                                .connectorName(name)
                                .connectorDescription(
                                        "pipeline " + pipeline.name() + ": " + entry.getKey())
                                .kafkaConnectVersion(CONNECT_VERSION)
                                .capacity(
                                        CfnConnector.CapacityProperty.builder()
                                                .autoScaling(
                                                        CfnConnector.AutoScalingProperty.builder()
                                                                .mcuCount(env.connectMcu())
                                                                .minWorkerCount(
                                                                        env.connectMinWorkers())
                                                                .maxWorkerCount(
                                                                        env.connectMaxWorkers())
                                                                .scaleInPolicy(
                                                                        CfnConnector
                                                                                .ScaleInPolicyProperty
                                                                                .builder()
                                                                                .cpuUtilizationPercentage(
                                                                                        20)
                                                                                .build())
                                                                .scaleOutPolicy(
                                                                        CfnConnector
                                                                                .ScaleOutPolicyProperty
                                                                                .builder()
                                                                                .cpuUtilizationPercentage(
                                                                                        80)
                                                                                .build())
                                                                .build())
                                                .build())
                                .connectorConfiguration(config)
                                .kafkaCluster(
                                        CfnConnector.KafkaClusterProperty.builder()
                                                .apacheKafkaCluster(
                                                        CfnConnector.ApacheKafkaClusterProperty
                                                                .builder()
                                                                .bootstrapServers(
                                                                        kafka.bootstrapServers())
                                                                .vpc(
                                                                        CfnConnector.VpcProperty
                                                                                .builder()
                                                                                .subnets(
                                                                                        network
                                                                                                .privateSubnetIds())
                                                                                .securityGroups(
                                                                                        List.of(
                                                                                                securityGroup
                                                                                                        .getSecurityGroupId()))
                                                                                .build())
                                                                .build())
                                                .build())
                                .kafkaClusterClientAuthentication(
                                        CfnConnector.KafkaClusterClientAuthenticationProperty
                                                .builder()
                                                .authenticationType("IAM")
                                                .build())
                                .kafkaClusterEncryptionInTransit(
                                        CfnConnector.KafkaClusterEncryptionInTransitProperty
                                                .builder()
                                                .encryptionType("TLS")
                                                .build())
                                .plugins(
                                        List.of(
                                                CfnConnector.PluginProperty.builder()
                                                        .customPlugin(
                                                                CfnConnector.CustomPluginProperty
                                                                        .builder()
                                                                        .customPluginArn(
                                                                                plugin
                                                                                        .getAttrCustomPluginArn())
                                                                        .revision(
                                                                                plugin
                                                                                        .getAttrRevision())
                                                                        .build())
                                                        .build()))
                                .workerConfiguration(
                                        CfnConnector.WorkerConfigurationProperty.builder()
                                                .workerConfigurationArn(
                                                        worker.getAttrWorkerConfigurationArn())
                                                .revision(worker.getAttrRevision())
                                                .build())
                                .serviceExecutionRoleArn(role.getRoleArn())
                                .logDelivery(
                                        CfnConnector.LogDeliveryProperty.builder()
                                                .workerLogDelivery(
                                                        CfnConnector.WorkerLogDeliveryProperty
                                                                .builder()
                                                                .cloudWatchLogs(
                                                                        CfnConnector
                                                                                .CloudWatchLogsLogDeliveryProperty
                                                                                .builder()
                                                                                .enabled(true)
                                                                                .logGroup(
                                                                                        logs
                                                                                                .getLogGroupName())
                                                                                .build())
                                                                .build())
                                                .build())
                                .build();
                connector.getNode().addDependency(role);
                connectors.put(name, connector);
            }
        }
    }

    /**
     * The worker's settings: string keys and byte values (the MQTT connectors' contract; the S3
     * sink sets its own), and the Secrets Manager provider.
     */
    static String workerProperties(String region) {
        return String.join(
                        "\n",
                        "key.converter=" + StringConverter.class.getName(),
                        "value.converter=" + ByteArrayConverter.class.getName(),
                        "config.providers=" + SECRETS_PROVIDER,
                        "config.providers." + SECRETS_PROVIDER + ".class=" + SECRETS_PROVIDER_CLASS,
                        "config.providers." + SECRETS_PROVIDER + ".param.region=" + region)
                + "\n";
    }

    private static String workerHash(EnvironmentConfig env) {
        return Integer.toHexString(workerProperties(env.region()).hashCode());
    }

    /** A reference the provider resolves: {@code ${secretsmanager:<secret name>:<field>}}. */
    public static String secretReference(String secretName, String field) {
        return "${" + SECRETS_PROVIDER + ":" + secretName + ":" + field + "}";
    }

    /** The topics a connector's config reads: a sink's {@code topics}. */
    static Set<String> reads(Map<String, String> config) {
        return split(config.get(SinkConnectorConfig.TOPICS_CONFIG));
    }

    /**
     * The topics a connector's config writes: a source's mapped topics and dead-letter topic, a
     * sink's dead-letter queue and completion topic.
     */
    static Set<String> writes(Map<String, String> config) {
        Set<String> topics = new LinkedHashSet<>();
        for (String mapping : split(config.get(MqttSourceConnectorConfig.TOPICS))) {
            int eq = mapping.lastIndexOf('=');
            if (eq >= 0) {
                topics.add(mapping.substring(eq + 1).trim());
            }
        }
        for (String key :
                List.of(
                        MqttSourceConnectorConfig.KAFKA_TOPIC,
                        MqttSourceConnectorConfig.DLQ_TOPIC,
                        SinkConnectorConfig.DLQ_TOPIC_NAME_CONFIG,
                        S3SinkConnectorConfig.COMPLETION_TOPIC)) {
            topics.addAll(split(config.get(key)));
        }
        return topics;
    }

    private static Set<String> split(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value != null) {
            Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }

    /** Each connector's config by connector name, as the template carries it. */
    public Map<String, Map<String, String>> configs() {
        return configs;
    }

    public Map<String, CfnConnector> connectors() {
        return connectors;
    }
}
