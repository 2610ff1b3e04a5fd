package dev.millrace.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * One millrace component ({@code millrace run <component>}) as an ECS Fargate service from the
 * project's image: its own log group, task role and security group (allowed to the brokers), a
 * health check on {@code /health}, and scaling on backlog between the environment's bounds: target
 * tracking on the consumer lag of its group divided by its running tasks or, for an HTTP API behind
 * its internet-facing ALB (HTTPS), on the requests per task.
 */
public final class FargateComponentConstruct extends Construct {
    public static final int HTTP_PORT = 8080;

    /** What to build. */
    public record Spec(
            String component,
            String consumerGroup,
            List<String> lagTopics,
            Map<String, String> environment,
            Map<String, Secret> secrets,
            String certificateArn) {}

    private final FargateService service;
    private final LogGroup logs;
    private final ApplicationLoadBalancedFargateService loadBalanced;
    private final String serviceName;

    public FargateComponentConstruct(
            Construct scope,
            String id,
            EnvironmentConfig env,
            Cluster cluster,
            ContainerImage image,
            KafkaClusterConstruct kafka,
            IBucket accessLogs,
            Spec spec) {
        super(scope, id);
        serviceName = env.prefix() + "-" + spec.component();
        logs =
                LogGroup.Builder.create(this, "Logs")
                        .logGroupName("/millrace/" + env.name() + "/" + spec.component())
                        .retention(retention(env.logRetentionDays()))
                        .removalPolicy(env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                        .build();
        FargateTaskDefinition task =
                FargateTaskDefinition.Builder.create(this, "Task")
                        .cpu(env.serviceCpu())
                        .memoryLimitMiB(env.serviceMemoryMib())
                        .runtimePlatform(
                                RuntimePlatform.builder()
                                        .cpuArchitecture(CpuArchitecture.X86_64)
                                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                                        .build())
                        .build();
        task.addContainer(
                "millrace",
                ContainerDefinitionOptions.builder()
                        .image(image)
                        .command(List.of("run", spec.component()))
                        .environment(spec.environment())
                        .secrets(spec.secrets())
                        .portMappings(
                                List.of(PortMapping.builder().containerPort(HTTP_PORT).build()))
                        .healthCheck(
                                software.amazon.awscdk.services.ecs.HealthCheck.builder()
                                        // bash's /dev/tcp: the runtime image has no curl.
                                        .command(
                                                List.of(
                                                        "CMD-SHELL",
                                                        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/"
                                                                + HTTP_PORT
                                                                + " && printf \"GET /health"
                                                                + " HTTP/1.0\\r\\n\\r\\n\" >&3 &&"
                                                                + " head -1 <&3 | grep -q \" 200"
                                                                + " \"'"))
                                        .interval(Duration.seconds(30))
                                        .timeout(Duration.seconds(5))
                                        .retries(3)
                                        .startPeriod(Duration.seconds(120))
                                        .build())
                        .logging(
                                LogDrivers.awsLogs(
                                        AwsLogDriverProps.builder()
                                                .logGroup(logs)
                                                .streamPrefix(spec.component())
                                                .build()))
                        .build());
        SecurityGroup securityGroup =
                SecurityGroup.Builder.create(this, "SecurityGroup")
                        .vpc(cluster.getVpc())
                        .description(serviceName + " tasks")
                        .allowAllOutbound(true)
                        .build();
        if (spec.certificateArn() == null) {
            loadBalanced = null;
            service =
                    FargateService.Builder.create(this, "Service")
                            .serviceName(serviceName)
                            .cluster(cluster)
                            .taskDefinition(task)
                            .desiredCount(env.serviceMinTasks())
                            .minHealthyPercent(100)
                            .securityGroups(List.of(securityGroup))
                            .circuitBreaker(
                                    DeploymentCircuitBreaker.builder()
                                            .enable(true)
                                            .rollback(true)
                                            .build())
                            .build();
        } else {
            loadBalanced =
                    ApplicationLoadBalancedFargateService.Builder.create(this, "Service")
                            .serviceName(serviceName)
                            .cluster(cluster)
                            .taskDefinition(task)
                            .desiredCount(env.serviceMinTasks())
                            .minHealthyPercent(100)
                            .securityGroups(List.of(securityGroup))
                            .publicLoadBalancer(true)
                            .certificate(
                                    Certificate.fromCertificateArn(
                                            this, "Certificate", spec.certificateArn()))
                            .protocol(ApplicationProtocol.HTTPS)
                            .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                            .redirectHttp(true)
                            .healthCheckGracePeriod(Duration.seconds(120))
                            .circuitBreaker(
                                    DeploymentCircuitBreaker.builder()
                                            .enable(true)
                                            .rollback(true)
                                            .build())
                            .build();
            loadBalanced
                    .getTargetGroup()
                    .configureHealthCheck(
                            software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck
                                    .builder()
                                    .path("/health")
                                    .healthyHttpCodes("200")
                                    .interval(Duration.seconds(15))
                                    .healthyThresholdCount(2)
                                    .unhealthyThresholdCount(3)
                                    .build());
            loadBalanced.getLoadBalancer().logAccessLogs(accessLogs, "alb/" + spec.component());
            service = loadBalanced.getService();
        }
        kafka.allowClient(securityGroup, serviceName);
        ScalableTarget target =
                ScalableTarget.Builder.create(this, "ScalableTarget")
                        .serviceNamespace(ServiceNamespace.ECS)
                        .scalableDimension("ecs:service:DesiredCount")
                        .resourceId(
                                "service/"
                                        + cluster.getClusterName()
                                        + "/"
                                        + service.getServiceName())
                        .minCapacity(env.serviceMinTasks())
                        .maxCapacity(env.serviceMaxTasks())
                        .build();
        if (loadBalanced != null) {
            scaleOnRequests(env, target);
        } else {
            scaleOnLag(env, cluster, spec, target);
        }
    }

    /**
     * An HTTP API's backlog is its requests, not a consumer lag: target tracking on the load
     * balancer's requests per target a minute.
     */
    private void scaleOnRequests(EnvironmentConfig env, ScalableTarget target) {
        track(
                "RequestsPerTask",
                "requests-per-task",
                target,
                env.requestsPerTask(),
                policy ->
                        policy.predefinedMetricSpecification(
                                CfnScalingPolicy.PredefinedMetricSpecificationProperty.builder()
                                        .predefinedMetricType("ALBRequestCountPerTarget")
                                        .resourceLabel(
                                                loadBalanced
                                                                .getLoadBalancer()
                                                                .getLoadBalancerFullName()
                                                        + "/"
                                                        + loadBalanced
                                                                .getTargetGroup()
                                                                .getTargetGroupFullName())
                                        .build()));
    }

    /** A target-tracking policy on {@code target}, its metric set by {@code metric}. */
    private void track(
            String id,
            String name,
            ScalableTarget target,
            int value,
            Consumer<CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.Builder>
                    metric) {
        CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.Builder tracking =
                CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.builder()
                        .targetValue(value)
                        .scaleOutCooldown(60)
                        .scaleInCooldown(300);
        metric.accept(tracking);
        CfnScalingPolicy.Builder.create(this, id)
                .policyName(serviceName + "-" + name)
                .policyType("TargetTrackingScaling")
                .scalingTargetId(target.getScalableTargetId())
                .targetTrackingScalingPolicyConfiguration(tracking.build())
                .build();
    }

    /**
     * Target tracking on the group's lag per running task: {@code SUM(lag) / RunningTaskCount}
     * (metric math, which the L2 does not offer, so the policy is L1), bounded by the environment.
     */
    private void scaleOnLag(
            EnvironmentConfig env, Cluster cluster, Spec spec, ScalableTarget target) {
        List<Object> queries = new ArrayList<>();
        List<String> lagIds = new ArrayList<>();
        for (int i = 0; i < spec.lagTopics().size(); i++) {
            String lagId = "lag" + i;
            lagIds.add("FILL(" + lagId + ", 0)");
            queries.add(
                    query(
                            lagId,
                            "AWS/Kafka",
                            "SumOffsetLag",
                            "Maximum",
                            Map.of(
                                    "Cluster Name", env.prefix(),
                                    "Consumer Group", spec.consumerGroup(),
                                    "Topic", spec.lagTopics().get(i))));
        }
        queries.add(
                query(
                        "tasks",
                        "ECS/ContainerInsights",
                        "RunningTaskCount",
                        "Average",
                        Map.of(
                                "ClusterName", cluster.getClusterName(),
                                "ServiceName", service.getServiceName())));
        queries.add(
                CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                        .id("lagPerTask")
                        .label("consumer lag per task")
                        .expression("(" + String.join(" + ", lagIds) + ") / tasks")
                        .returnData(true)
                        .build());
        track(
                "LagPerTask",
                "lag-per-task",
                target,
                env.lagPerTask(),
                policy ->
                        policy.customizedMetricSpecification(
                                CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                                        .metrics(queries)
                                        .build()));
    }

    private static CfnScalingPolicy.TargetTrackingMetricDataQueryProperty query(
            String id, String namespace, String metric, String stat, Map<String, String> dims) {
        List<Object> dimensions = new ArrayList<>();
        dims.forEach(
                (name, value) ->
                        dimensions.add(
                                CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder()
                                        .name(name)
                                        .value(value)
                                        .build()));
        return CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id(id)
                .returnData(false)
                .metricStat(
                        CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                                .stat(stat)
                                .metric(
                                        CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                                                .namespace(namespace)
                                                .metricName(metric)
                                                .dimensions(dimensions)
                                                .build())
                                .build())
                .build();
    }

    private static final java.util.NavigableMap<Integer, RetentionDays> RETENTIONS =
            new java.util.TreeMap<>(
                    Map.ofEntries(
                            Map.entry(1, RetentionDays.ONE_DAY),
                            Map.entry(3, RetentionDays.THREE_DAYS),
                            Map.entry(5, RetentionDays.FIVE_DAYS),
                            Map.entry(7, RetentionDays.ONE_WEEK),
                            Map.entry(14, RetentionDays.TWO_WEEKS),
                            Map.entry(30, RetentionDays.ONE_MONTH),
                            Map.entry(60, RetentionDays.TWO_MONTHS),
                            Map.entry(90, RetentionDays.THREE_MONTHS),
                            Map.entry(180, RetentionDays.SIX_MONTHS),
                            Map.entry(365, RetentionDays.ONE_YEAR),
                            Map.entry(731, RetentionDays.TWO_YEARS),
                            Map.entry(1827, RetentionDays.FIVE_YEARS),
                            Map.entry(3653, RetentionDays.TEN_YEARS)));

    /** The shortest CloudWatch Logs retention that keeps at least {@code days} days. */
    static RetentionDays retention(int days) {
        var entry = RETENTIONS.ceilingEntry(days);
        if (entry == null) {
            throw new IllegalArgumentException("log.retention-days too long: " + days);
        }
        return entry.getValue();
    }

    public FargateService service() {
        return service;
    }

    public String serviceName() {
        return serviceName;
    }

    public LogGroup logs() {
        return logs;
    }

    /** The task role: where this component's Kafka, S3 and secret permissions go. */
    public software.amazon.awscdk.services.iam.IRole taskRole() {
        return service.getTaskDefinition().getTaskRole();
    }

    /** The load-balanced service, or null for a component with no HTTP endpoint. */
    public ApplicationLoadBalancedFargateService loadBalanced() {
        return loadBalanced;
    }
}
