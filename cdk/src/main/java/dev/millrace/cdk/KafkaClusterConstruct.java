package dev.millrace.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.SdkCallsPolicyOptions;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.msk.CfnCluster;
import software.amazon.awscdk.services.msk.CfnConfiguration;
import software.amazon.awscdk.services.msk.CfnServerlessCluster;
import software.constructs.Construct;

/**
 * The Kafka cluster: MSK provisioned over three zones (IAM access control only, TLS between clients
 * and brokers and among brokers, encryption at rest with our key, replication factor 3, min ISR 2,
 * no topic auto-creation, broker logs to CloudWatch) or MSK Serverless (IAM, TLS and encryption by
 * the service, replication fixed by it). Clients reach it on 9098 (SASL_SSL, IAM).
 */
public final class KafkaClusterConstruct extends Construct {
    /** MSK's port for IAM clients inside the VPC. */
    public static final int IAM_PORT = 9098;

    /** The broker settings every provisioned environment runs with. */
    static final String SERVER_PROPERTIES =
            String.join(
                            "\n",
                            "auto.create.topics.enable=false",
                            "default.replication.factor=3",
                            "min.insync.replicas=2",
                            "unclean.leader.election.enable=false",
                            "offsets.topic.replication.factor=3",
                            "transaction.state.log.replication.factor=3",
                            "transaction.state.log.min.isr=2",
                            // Audit records carry payloads up to audit.inline-max (512 KiB) as
                            // base64, and a claim check beyond: 2 MiB leaves room.
                            "message.max.bytes=2097152",
                            "replica.fetch.max.bytes=2097152")
                    + "\n";

    private final SecurityGroup securityGroup;
    private final String clusterArn;
    private final String clusterName;
    private final String bootstrapServers;
    private final CfnCluster provisioned;
    private final software.amazon.awscdk.CfnResource cluster;

    public KafkaClusterConstruct(
            Construct scope,
            String id,
            EnvironmentConfig env,
            NetworkConstruct network,
            IKey key,
            LogGroup brokerLogs) {
        super(scope, id);
        clusterName = env.prefix();
        securityGroup =
                SecurityGroup.Builder.create(this, "SecurityGroup")
                        .vpc(network.vpc())
                        .description("MSK brokers: IAM clients on " + IAM_PORT)
                        .allowAllOutbound(false)
                        .build();
        List<String> subnets = network.privateSubnetIds();
        if (env.mskMode() == EnvironmentConfig.MskMode.PROVISIONED) {
            CfnConfiguration configuration =
                    CfnConfiguration.Builder.create(this, "Configuration")
                            .name(clusterName + "-brokers")
                            .description("millrace broker settings")
                            .kafkaVersionsList(List.of(env.kafkaVersion()))
                            .serverProperties(SERVER_PROPERTIES)
                            .build();
            provisioned =
                    CfnCluster.Builder.create(this, "Cluster")
                            .clusterName(clusterName)
                            .kafkaVersion(env.kafkaVersion())
                            .numberOfBrokerNodes(env.brokers())
                            .brokerNodeGroupInfo(
                                    CfnCluster.BrokerNodeGroupInfoProperty.builder()
                                            .instanceType(env.brokerType())
                                            .clientSubnets(subnets)
                                            .securityGroups(
                                                    List.of(securityGroup.getSecurityGroupId()))
                                            .storageInfo(
                                                    CfnCluster.StorageInfoProperty.builder()
                                                            .ebsStorageInfo(
                                                                    CfnCluster
                                                                            .EBSStorageInfoProperty
                                                                            .builder()
                                                                            .volumeSize(
                                                                                    env
                                                                                            .brokerVolumeGib())
                                                                            .build())
                                                            .build())
                                            .build())
                            .clientAuthentication(
                                    CfnCluster.ClientAuthenticationProperty.builder()
                                            .sasl(
                                                    CfnCluster.SaslProperty.builder()
                                                            .iam(
                                                                    CfnCluster.IamProperty.builder()
                                                                            .enabled(true)
                                                                            .build())
                                                            .build())
                                            .unauthenticated(
                                                    CfnCluster.UnauthenticatedProperty.builder()
                                                            .enabled(false)
                                                            .build())
                                            .build())
                            .encryptionInfo(
                                    CfnCluster.EncryptionInfoProperty.builder()
                                            .encryptionAtRest(
                                                    CfnCluster.EncryptionAtRestProperty.builder()
                                                            .dataVolumeKmsKeyId(key.getKeyArn())
                                                            .build())
                                            .encryptionInTransit(
                                                    CfnCluster.EncryptionInTransitProperty.builder()
                                                            .clientBroker("TLS")
                                                            .inCluster(true)
                                                            .build())
                                            .build())
                            .configurationInfo(
                                    CfnCluster.ConfigurationInfoProperty.builder()
                                            .arn(configuration.getAttrArn())
                                            .revision(configuration.getAttrLatestRevisionRevision())
                                            .build())
                            .loggingInfo(
                                    CfnCluster.LoggingInfoProperty.builder()
                                            .brokerLogs(
                                                    CfnCluster.BrokerLogsProperty.builder()
                                                            .cloudWatchLogs(
                                                                    CfnCluster
                                                                            .CloudWatchLogsProperty
                                                                            .builder()
                                                                            .enabled(true)
                                                                            .logGroup(
                                                                                    brokerLogs
                                                                                            .getLogGroupName())
                                                                            .build())
                                                            .build())
                                            .build())
                            .enhancedMonitoring("PER_TOPIC_PER_BROKER")
                            .build();
            clusterArn = provisioned.getAttrArn();
            cluster = provisioned;
        } else {
            provisioned = null;
            CfnServerlessCluster serverless =
                    CfnServerlessCluster.Builder.create(this, "Cluster")
                            .clusterName(clusterName)
                            .vpcConfigs(
                                    List.of(
                                            CfnServerlessCluster.VpcConfigProperty.builder()
                                                    .subnetIds(subnets)
                                                    .securityGroups(
                                                            List.of(
                                                                    securityGroup
                                                                            .getSecurityGroupId()))
                                                    .build()))
                            .clientAuthentication(
                                    CfnServerlessCluster.ClientAuthenticationProperty.builder()
                                            .sasl(
                                                    CfnServerlessCluster.SaslProperty.builder()
                                                            .iam(
                                                                    CfnServerlessCluster.IamProperty
                                                                            .builder()
                                                                            .enabled(true)
                                                                            .build())
                                                            .build())
                                            .build())
                            .build();
            clusterArn = serverless.getAttrArn();
            cluster = serverless;
        }
        // CloudFormation has no attribute for the bootstrap string: ask the API once deployed.
        AwsCustomResource brokers =
                AwsCustomResource.Builder.create(this, "BootstrapBrokers")
                        .onUpdate(
                                AwsSdkCall.builder()
                                        .service("Kafka")
                                        .action("getBootstrapBrokers")
                                        .parameters(Map.of("ClusterArn", clusterArn))
                                        .physicalResourceId(
                                                PhysicalResourceId.of(clusterName + "-bootstrap"))
                                        .outputPaths(List.of("BootstrapBrokerStringSaslIam"))
                                        .build())
                        .policy(
                                AwsCustomResourcePolicy.fromSdkCalls(
                                        SdkCallsPolicyOptions.builder()
                                                .resources(List.of(clusterArn))
                                                .build()))
                        .installLatestAwsSdk(false)
                        .build();
        bootstrapServers = brokers.getResponseField("BootstrapBrokerStringSaslIam");
    }

    /** Lets {@code client} reach the brokers as an IAM client. */
    public void allowClient(IConnectable client, String description) {
        securityGroup.getConnections().allowFrom(client, Port.tcp(IAM_PORT), description);
    }

    public String clusterArn() {
        return clusterArn;
    }

    public String clusterName() {
        return clusterName;
    }

    /** {@code host:9098,...}, known once the cluster is deployed. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The cluster resource itself, for ordering against it. */
    public software.amazon.awscdk.CfnResource cluster() {
        return cluster;
    }

    public boolean provisioned() {
        return provisioned != null;
    }

    public KafkaAccess access() {
        return new KafkaAccess(this, clusterArn, clusterName);
    }
}
