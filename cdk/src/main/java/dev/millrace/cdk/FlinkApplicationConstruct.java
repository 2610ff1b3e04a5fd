package dev.millrace.cdk;

import dev.millrace.audit.AuditSettings;
import dev.millrace.config.ConfigKeys;
import dev.millrace.config.FlinkSettings;
import dev.millrace.config.KafkaSettings;
import dev.millrace.pipeline.Pipeline;
import dev.millrace.pipeline.StreamsApp;
import dev.millrace.telemetry.TelemetrySettings;
import dev.millrace.wis2.Wis2Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplication;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplicationCloudWatchLoggingOption;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * One pipeline as a Managed Service for Apache Flink application (runtime {@code FLINK-2_2}): the
 * build's shaded job jar, the job named by {@code flink.job} in the {@code millrace} property group
 * with the environment's settings, Kafka through IAM in the {@code kafka} group; checkpointing,
 * parallelism and autoscaling on the application (the service owns them on Managed Flink),
 * snapshots on, restored from the latest on start, in the VPC next to the brokers.
 */
public final class FlinkApplicationConstruct extends Construct {
    public static final String RUNTIME = "FLINK-2_2";
    public static final String KAFKA_GROUP = "kafka";
    public static final String MILLRACE_GROUP = "millrace";

    /**
     * The keys the Flink jobs accept (flink-jobs reads the pipelines' keys and its own): anything
     * else in the environment's settings (Streams, HTTP, S3) is for the services only.
     */
    static final ConfigKeys JOB_KEYS =
            ConfigKeys.union(
                    KafkaSettings.KEYS,
                    TelemetrySettings.KEYS,
                    Wis2Settings.KEYS,
                    AuditSettings.KEYS,
                    FlinkSettings.KEYS);

    /** The job's consumer group and transactional-id prefix, as the job derives it. */
    public static String groupPrefix(Platform platform, String job) {
        return FlinkSettings.from(platform.config()).group(job);
    }

    private final CfnApplication application;
    private final String applicationName;

    public FlinkApplicationConstruct(
            Construct scope,
            String id,
            EnvironmentConfig env,
            Platform platform,
            Pipeline pipeline,
            Asset jar,
            NetworkConstruct network,
            KafkaClusterConstruct kafka) {
        super(scope, id);
        String job = pipeline.name();
        applicationName = env.prefix() + "-" + job;
        Role role =
                Role.Builder.create(this, "Role")
                        .assumedBy(new ServicePrincipal("kinesisanalytics.amazonaws.com"))
                        .description("Managed Flink application " + applicationName)
                        .build();
        jar.grantRead(role);
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (StreamsApp app : pipeline.streamsApps(platform.context())) {
            inputs.addAll(app.inputTopics());
            outputs.addAll(app.outputTopics());
        }
        kafka.access()
                .grantClient(
                        role,
                        inputs,
                        outputs,
                        List.of(groupPrefix(platform, job)),
                        List.of(groupPrefix(platform, job)));

        LogGroup logs =
                LogGroup.Builder.create(this, "Logs")
                        .logGroupName("/millrace/" + env.name() + "/flink/" + job)
                        .retention(FargateComponentConstruct.retention(env.logRetentionDays()))
                        .removalPolicy(env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                        .build();
        LogStream stream =
                LogStream.Builder.create(this, "LogStream")
                        .logGroup(logs)
                        .logStreamName("application")
                        .build();
        role.addToPolicy(
                PolicyStatement.Builder.create()
                        .actions(List.of("logs:DescribeLogStreams", "logs:PutLogEvents"))
                        .resources(List.of(logs.getLogGroupArn()))
                        .build());
        role.addToPolicy(
                PolicyStatement.Builder.create()
                        .actions(List.of("logs:DescribeLogGroups"))
                        .resources(
                                List.of(
                                        "arn:"
                                                + Aws.PARTITION
                                                + ":logs:"
                                                + Aws.REGION
                                                + ":"
                                                + Aws.ACCOUNT_ID
                                                + ":log-group:*"))
                        .build());
        // Managed Flink places its network interfaces in the VPC with the application's role.
        role.addToPolicy(
                PolicyStatement.Builder.create()
                        .actions(
                                List.of(
                                        "ec2:DescribeVpcs",
                                        "ec2:DescribeSubnets",
                                        "ec2:DescribeSecurityGroups",
                                        "ec2:DescribeDhcpOptions",
                                        "ec2:CreateNetworkInterface",
                                        "ec2:CreateNetworkInterfacePermission",
                                        "ec2:DescribeNetworkInterfaces",
                                        "ec2:DeleteNetworkInterface"))
                        .resources(List.of("*"))
                        .build());
        SecurityGroup securityGroup =
                SecurityGroup.Builder.create(this, "SecurityGroup")
                        .vpc(network.vpc())
                        .description(applicationName + " Flink")
                        .allowAllOutbound(true)
                        .build();
        kafka.allowClient(securityGroup, applicationName);

        application =
                CfnApplication.Builder.create(this, "Application")
                        .applicationName(applicationName)
                        .applicationDescription("millrace " + job + " pipeline on Flink")
                        .runtimeEnvironment(RUNTIME)
                        .applicationMode("STREAMING")
                        .serviceExecutionRole(role.getRoleArn())
                        .applicationConfiguration(
                                CfnApplication.ApplicationConfigurationProperty.builder()
                                        .applicationCodeConfiguration(
                                                CfnApplication.ApplicationCodeConfigurationProperty
                                                        .builder()
                                                        .codeContentType("ZIPFILE")
                                                        .codeContent(
                                                                CfnApplication.CodeContentProperty
                                                                        .builder()
                                                                        .s3ContentLocation(
                                                                                CfnApplication
                                                                                        .S3ContentLocationProperty
                                                                                        .builder()
                                                                                        .bucketArn(
                                                                                                jar.getBucket()
                                                                                                        .getBucketArn())
                                                                                        .fileKey(
                                                                                                jar
                                                                                                        .getS3ObjectKey())
                                                                                        .build())
                                                                        .build())
                                                        .build())
                                        .environmentProperties(
                                                CfnApplication.EnvironmentPropertiesProperty
                                                        .builder()
                                                        .propertyGroups(
                                                                propertyGroups(platform, job))
                                                        .build())
                                        .flinkApplicationConfiguration(
                                                CfnApplication.FlinkApplicationConfigurationProperty
                                                        .builder()
                                                        .checkpointConfiguration(
                                                                CfnApplication
                                                                        .CheckpointConfigurationProperty
                                                                        .builder()
                                                                        .configurationType("CUSTOM")
                                                                        .checkpointingEnabled(true)
                                                                        .checkpointInterval(
                                                                                env
                                                                                        .flinkCheckpointIntervalMs())
                                                                        .minPauseBetweenCheckpoints(
                                                                                1000)
                                                                        .build())
                                                        .parallelismConfiguration(
                                                                CfnApplication
                                                                        .ParallelismConfigurationProperty
                                                                        .builder()
                                                                        .configurationType("CUSTOM")
                                                                        .parallelism(
                                                                                env
                                                                                        .flinkParallelism())
                                                                        .parallelismPerKpu(
                                                                                env
                                                                                        .flinkParallelismPerKpu())
                                                                        .autoScalingEnabled(
                                                                                env
                                                                                        .flinkAutoScaling())
                                                                        .build())
                                                        .monitoringConfiguration(
                                                                CfnApplication
                                                                        .MonitoringConfigurationProperty
                                                                        .builder()
                                                                        .configurationType("CUSTOM")
                                                                        .logLevel("INFO")
                                                                        .metricsLevel("OPERATOR")
                                                                        .build())
                                                        .build())
                                        .applicationSnapshotConfiguration(
                                                CfnApplication
                                                        .ApplicationSnapshotConfigurationProperty
                                                        .builder()
                                                        .snapshotsEnabled(true)
                                                        .build())
                                        .applicationSystemRollbackConfiguration(
                                                CfnApplication
                                                        .ApplicationSystemRollbackConfigurationProperty
                                                        .builder()
                                                        .rollbackEnabled(true)
                                                        .build())
                                        .vpcConfigurations(
                                                List.of(
                                                        CfnApplication.VpcConfigurationProperty
                                                                .builder()
                                                                .subnetIds(
                                                                        network.privateSubnetIds())
                                                                .securityGroupIds(
                                                                        List.of(
                                                                                securityGroup
                                                                                        .getSecurityGroupId()))
                                                                .build()))
                                        .build())
                        .runConfiguration(
                                CfnApplication.RunConfigurationProperty.builder()
                                        .applicationRestoreConfiguration(
                                                CfnApplication
                                                        .ApplicationRestoreConfigurationProperty
                                                        .builder()
                                                        .applicationRestoreType(
                                                                "RESTORE_FROM_LATEST_SNAPSHOT")
                                                        .build())
                                        .flinkRunConfiguration(
                                                CfnApplication.FlinkRunConfigurationProperty
                                                        .builder()
                                                        .allowNonRestoredState(false)
                                                        .build())
                                        .build())
                        .build();
        application.getNode().addDependency(role);
        CfnApplicationCloudWatchLoggingOption.Builder.create(this, "Logging")
                .applicationName(application.getRef())
                .cloudWatchLoggingOption(
                        CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty
                                .builder()
                                .logStreamArn(
                                        "arn:"
                                                + Aws.PARTITION
                                                + ":logs:"
                                                + Aws.REGION
                                                + ":"
                                                + Aws.ACCOUNT_ID
                                                + ":log-group:"
                                                + logs.getLogGroupName()
                                                + ":log-stream:"
                                                + stream.getLogStreamName())
                                .build())
                .build();
    }

    /**
     * The {@code kafka} group (how to reach the cluster) and the {@code millrace} group (the job,
     * and the environment's settings the jobs know).
     */
    static List<Object> propertyGroups(Platform platform, String job) {
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> millrace = new TreeMap<>();
        platform.settings()
                .forEach(
                        (key, value) -> {
                            if (declares(KafkaSettings.KEYS, key)) {
                                kafka.put(key, value);
                            } else if (declares(JOB_KEYS, key)) {
                                millrace.put(key, value);
                            }
                        });
        millrace.put(FlinkSettings.JOB.name(), job);
        return List.of(
                CfnApplication.PropertyGroupProperty.builder()
                        .propertyGroupId(KAFKA_GROUP)
                        .propertyMap(kafka)
                        .build(),
                CfnApplication.PropertyGroupProperty.builder()
                        .propertyGroupId(MILLRACE_GROUP)
                        .propertyMap(millrace)
                        .build());
    }

    static boolean declares(ConfigKeys keys, String name) {
        return keys.keys().stream().anyMatch(k -> k.name().equals(name));
    }

    public String applicationName() {
        return applicationName;
    }

    public CfnApplication application() {
        return application;
    }
}
