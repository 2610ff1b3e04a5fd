package dev.millrace.cdk;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The topic catalog on the cluster: a one-shot Fargate task running {@code millrace topics
 * --create} (create what is missing, align configs, idempotently) with IAM, started by the deploy
 * whenever the catalog changes. Its role may create and configure the catalog's topics only.
 */
public final class TopicsTaskConstruct extends Construct {
    private final FargateTaskDefinition task;
    private final AwsCustomResource trigger;

    public TopicsTaskConstruct(
            Construct scope,
            String id,
            EnvironmentConfig env,
            Cluster cluster,
            ContainerImage image,
            KafkaClusterConstruct kafka,
            NetworkConstruct network,
            Map<String, String> environment) {
        super(scope, id);
        LogGroup logs =
                LogGroup.Builder.create(this, "Logs")
                        .logGroupName("/millrace/" + env.name() + "/topics")
                        .retention(FargateComponentConstruct.retention(env.logRetentionDays()))
                        .removalPolicy(env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                        .build();
        task =
                FargateTaskDefinition.Builder.create(this, "Task")
                        .cpu(512)
                        .memoryLimitMiB(1024)
                        .build();
        task.addContainer(
                "topics",
                ContainerDefinitionOptions.builder()
                        .image(image)
                        .command(List.of("topics", "--create"))
                        .environment(environment)
                        .logging(
                                LogDrivers.awsLogs(
                                        AwsLogDriverProps.builder()
                                                .logGroup(logs)
                                                .streamPrefix("topics")
                                                .build()))
                        .build());
        kafka.access()
                .grantTopicAdmin(
                        task.getTaskRole(),
                        TopicCatalog.ALL.stream().map(TopicDefinition::name).toList());
        SecurityGroup securityGroup =
                SecurityGroup.Builder.create(this, "SecurityGroup")
                        .vpc(network.vpc())
                        .description(env.prefix() + " topic creation task")
                        .allowAllOutbound(true)
                        .build();
        kafka.allowClient(securityGroup, env.prefix() + " topic creation task");

        AwsSdkCall run =
                AwsSdkCall.builder()
                        .service("ECS")
                        .action("runTask")
                        .parameters(
                                Map.of(
                                        "cluster", cluster.getClusterName(),
                                        "taskDefinition", task.getTaskDefinitionArn(),
                                        "launchType", "FARGATE",
                                        "count", 1,
                                        "networkConfiguration",
                                                Map.of(
                                                        "awsvpcConfiguration",
                                                        Map.of(
                                                                "subnets",
                                                                network.privateSubnetIds(),
                                                                "securityGroups",
                                                                List.of(
                                                                        securityGroup
                                                                                .getSecurityGroupId()),
                                                                "assignPublicIp",
                                                                "DISABLED"))))
                        // A new id whenever the catalog changes: the deploy runs the task again.
                        .physicalResourceId(PhysicalResourceId.of("topics-" + catalogHash()))
                        .build();
        trigger =
                AwsCustomResource.Builder.create(this, "Run")
                        .onCreate(run)
                        .onUpdate(run)
                        .policy(
                                AwsCustomResourcePolicy.fromStatements(
                                        List.of(
                                                PolicyStatement.Builder.create()
                                                        .actions(List.of("ecs:RunTask"))
                                                        .resources(
                                                                List.of(
                                                                        task
                                                                                .getTaskDefinitionArn()))
                                                        .build(),
                                                PolicyStatement.Builder.create()
                                                        .actions(List.of("iam:PassRole"))
                                                        .resources(
                                                                List.of(
                                                                        task.getTaskRole()
                                                                                .getRoleArn(),
                                                                        task.obtainExecutionRole()
                                                                                .getRoleArn()))
                                                        .build())))
                        .installLatestAwsSdk(false)
                        .build();
        trigger.getNode().addDependency(kafka.cluster());
    }

    /** A digest of every topic's name, partitions and configs. */
    static String catalogHash() {
        StringBuilder text = new StringBuilder();
        for (TopicDefinition topic : TopicCatalog.ALL) {
            text.append(topic.name())
                    .append(' ')
                    .append(topic.partitions())
                    .append(' ')
                    .append(new java.util.TreeMap<>(topic.configs()))
                    .append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deploy-time run of the task: what must exist before anything uses the topics. */
    public AwsCustomResource trigger() {
        return trigger;
    }

    public FargateTaskDefinition task() {
        return task;
    }
}
