package dev.millrace.cdk;

import dev.millrace.pipeline.MqttEndpoint;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecs.patterns.NetworkLoadBalancedFargateService;
import software.amazon.awscdk.services.ecs.patterns.NetworkLoadBalancedTaskImageOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The platform's MQTT broker: Eclipse Mosquitto on ECS Fargate behind an internet-facing NLB that
 * terminates TLS on 8883 with an imported certificate. Its accounts are in Secrets Manager: the one
 * millrace publishes with (the connectors), the one data feeds publish with, and the WIS2
 * convention's read-only {@code everyone}. One task: Mosquitto does not cluster, and two brokers
 * behind one address would split subscribers from publishers.
 */
public final class MqttBrokerConstruct extends Construct {
    public static final int TLS_PORT = 8883;
    public static final int BROKER_PORT = 1883;
    public static final String PASSWORD_FIELD = "password";
    public static final String USERNAME_FIELD = "username";

    private final software.amazon.awscdk.services.secretsmanager.Secret publisher;
    private final software.amazon.awscdk.services.secretsmanager.Secret feed;
    private final NetworkLoadBalancedFargateService service;
    private final String host;
    private final String publisherSecretName;

    public MqttBrokerConstruct(
            Construct scope,
            String id,
            EnvironmentConfig env,
            Cluster cluster,
            ContainerImage image,
            IKey key,
            IBucket accessLogs,
            String feedTopics,
            String domainName) {
        super(scope, id);
        publisherSecretName = env.prefix() + "/mqtt/publisher";
        publisher = account("Publisher", publisherSecretName, "millrace", key);
        feed = account("Feed", env.prefix() + "/mqtt/feed", "feed", key);
        LogGroup logs =
                LogGroup.Builder.create(this, "Logs")
                        .logGroupName("/millrace/" + env.name() + "/mqtt")
                        .retention(FargateComponentConstruct.retention(env.logRetentionDays()))
                        .removalPolicy(env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                        .build();
        service =
                NetworkLoadBalancedFargateService.Builder.create(this, "Broker")
                        .serviceName(env.prefix() + "-mqtt")
                        .cluster(cluster)
                        .cpu(env.mqttCpu())
                        .memoryLimitMiB(env.mqttMemoryMib())
                        .desiredCount(1)
                        // One broker: stop the old task before the new one starts.
                        .minHealthyPercent(0)
                        .maxHealthyPercent(100)
                        .circuitBreaker(
                                DeploymentCircuitBreaker.builder()
                                        .enable(true)
                                        .rollback(true)
                                        .build())
                        .publicLoadBalancer(true)
                        .listenerPort(TLS_PORT)
                        .listenerCertificate(ListenerCertificate.fromArn(env.mqttCertificateArn()))
                        .taskImageOptions(
                                NetworkLoadBalancedTaskImageOptions.builder()
                                        .image(image)
                                        .containerPort(BROKER_PORT)
                                        .environment(Map.of("MQTT_FEED_TOPICS", feedTopics))
                                        .secrets(
                                                Map.of(
                                                        "MQTT_PUBLISHER_USERNAME",
                                                        Secret.fromSecretsManager(
                                                                publisher, USERNAME_FIELD),
                                                        "MQTT_PUBLISHER_PASSWORD",
                                                        Secret.fromSecretsManager(
                                                                publisher, PASSWORD_FIELD),
                                                        "MQTT_FEED_USERNAME",
                                                        Secret.fromSecretsManager(
                                                                feed, USERNAME_FIELD),
                                                        "MQTT_FEED_PASSWORD",
                                                        Secret.fromSecretsManager(
                                                                feed, PASSWORD_FIELD)))
                                        .logDriver(
                                                LogDrivers.awsLogs(
                                                        AwsLogDriverProps.builder()
                                                                .logGroup(logs)
                                                                .streamPrefix("mqtt")
                                                                .build()))
                                        .build())
                        .build();
        // TLS listeners do not keep the client's address: traffic and health checks come from the
        // NLB's addresses in the VPC, which has no security group of its own.
        service.getService()
                .getConnections()
                .allowFrom(Peer.ipv4(env.vpcCidr()), Port.tcp(BROKER_PORT), "NLB to the broker");
        service.getTargetGroup()
                .configureHealthCheck(
                        software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                                .protocol(Protocol.TCP)
                                .port(String.valueOf(BROKER_PORT))
                                .interval(Duration.seconds(30))
                                .build());
        service.getLoadBalancer().logAccessLogs(accessLogs, "nlb/mqtt");
        host = domainName;
    }

    private software.amazon.awscdk.services.secretsmanager.Secret account(
            String id, String name, String username, IKey key) {
        return software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, id)
                .secretName(name)
                .description("MQTT account " + username)
                .encryptionKey(key)
                .generateSecretString(
                        SecretStringGenerator.builder()
                                .secretStringTemplate(
                                        "{\"" + USERNAME_FIELD + "\":\"" + username + "\"}")
                                .generateStringKey(PASSWORD_FIELD)
                                .excludePunctuation(true)
                                .passwordLength(32)
                                .build())
                .build();
    }

    /**
     * The broker as millrace's connectors reach it: over TLS at the certificate's name, as the
     * publisher account, whose password the connector reads from Secrets Manager at start.
     */
    public MqttEndpoint publisherEndpoint(String passwordReference) {
        return new MqttEndpoint("ssl://" + host + ":" + TLS_PORT, "millrace", passwordReference);
    }

    /** The publisher account's secret name, as config provider references name it. */
    public String publisherSecretName() {
        return publisherSecretName;
    }

    public software.amazon.awscdk.services.secretsmanager.Secret publisher() {
        return publisher;
    }

    public NetworkLoadBalancedFargateService service() {
        return service;
    }
}
