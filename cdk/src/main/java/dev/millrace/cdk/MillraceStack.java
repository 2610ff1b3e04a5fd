package dev.millrace.cdk;

import dev.millrace.audit.AuditSettings;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.ConfigKey;
import dev.millrace.pipeline.Pipeline;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.pipeline.ServiceSpec;
import dev.millrace.pipeline.StreamsApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The whole platform for one environment, from the pipeline registry and the build's artifacts:
 * network, key, buckets and CDN, the MSK cluster and its topics, the MQTT broker, the connectors on
 * MSK Connect, each pipeline's topology on ECS (Streams) or Managed Flink, the services on ECS, and
 * the alarms and dashboard. One stack per environment keeps grants between the parts inside one
 * template (no cross-stack cycles); the stateful parts are retained where the environment says so.
 */
public final class MillraceStack extends Stack {
    /** The MQTT filters data feeds may publish on: telemetry's input and WIS2 origin feeds. */
    static final String FEED_TOPICS = String.join(",", Pipelines.mqttInputs());

    private final StorageConstruct storage;
    private final Platform platform;
    private final ConnectorsConstruct connectors;
    private final Map<String, FargateComponentConstruct> components = new LinkedHashMap<>();
    private final Map<String, FlinkApplicationConstruct> flinkApps = new LinkedHashMap<>();
    private final MonitoringConstruct monitoring;

    public MillraceStack(Construct scope, String id, EnvironmentConfig env, Artifacts artifacts) {
        super(scope, id, props(env));
        RemovalPolicy removal = env.retain() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        Key key =
                Key.Builder.create(this, "DataKey")
                        .description(env.prefix() + " data: buckets, brokers, secrets, alarms")
                        .enableKeyRotation(true)
                        .removalPolicy(removal)
                        .build();
        // The brokers' own key: the data key's policy names the roles it is granted to, and
        // those roles (through the deploy-time custom resources) depend on the cluster.
        Key brokerKey =
                Key.Builder.create(this, "BrokerKey")
                        .description(env.prefix() + " MSK data volumes")
                        .enableKeyRotation(true)
                        .removalPolicy(removal)
                        .build();
        LogGroup flowLogs =
                LogGroup.Builder.create(this, "FlowLogs")
                        .logGroupName("/millrace/" + env.name() + "/vpc-flow")
                        .retention(FargateComponentConstruct.retention(env.logRetentionDays()))
                        .removalPolicy(removal)
                        .build();
        LogGroup brokerLogs =
                LogGroup.Builder.create(this, "BrokerLogs")
                        .logGroupName("/millrace/" + env.name() + "/msk")
                        .retention(FargateComponentConstruct.retention(env.logRetentionDays()))
                        .removalPolicy(removal)
                        .build();
        NetworkConstruct network = new NetworkConstruct(this, "Network", env, flowLogs);
        storage = new StorageConstruct(this, "Storage", env, key);
        KafkaClusterConstruct kafka =
                new KafkaClusterConstruct(this, "Kafka", env, network, brokerKey, brokerLogs);
        Cluster cluster =
                Cluster.Builder.create(this, "Cluster")
                        .clusterName(env.prefix())
                        .vpc(network.vpc())
                        .containerInsightsV2(ContainerInsights.ENABLED)
                        .build();
        ContainerImage image = ContainerImage.fromAsset(artifacts.imageContext().toString());
        MqttBrokerConstruct mqtt =
                new MqttBrokerConstruct(
                        this,
                        "Mqtt",
                        env,
                        cluster,
                        ContainerImage.fromAsset(artifacts.mqttImageContext().toString()),
                        key,
                        storage.logs(),
                        FEED_TOPICS,
                        env.mqttDomainName());

        Map<String, String> bucketNames = new LinkedHashMap<>();
        Map<String, Bucket> bucketsByName = new LinkedHashMap<>();
        storage.byConfigKey()
                .forEach(
                        (configKey, bucket) -> {
                            bucketNames.put(configKey, bucket.getBucketName());
                            bucketsByName.put(bucket.getBucketName(), bucket);
                        });
        platform =
                new Platform(
                        env,
                        kafka.bootstrapServers(),
                        bucketNames,
                        storage.cacheBaseUrl(),
                        mqtt.publisherEndpoint(
                                ConnectorsConstruct.secretReference(
                                        mqtt.publisherSecretName(),
                                        MqttBrokerConstruct.PASSWORD_FIELD)));

        TopicsTaskConstruct topics =
                new TopicsTaskConstruct(
                        this,
                        "Topics",
                        env,
                        cluster,
                        image,
                        kafka,
                        network,
                        platform.environment());
        monitoring = new MonitoringConstruct(this, "Monitoring", env, key);
        connectors =
                new ConnectorsConstruct(
                        this,
                        "Connectors",
                        env,
                        platform,
                        network,
                        kafka,
                        artifacts.pluginZip(),
                        mqtt.publisher(),
                        bucketsByName);
        connectors.connectors().values().forEach(c -> c.getNode().addDependency(topics.trigger()));

        software.amazon.awscdk.services.secretsmanager.Secret apiKeys = null;
        Asset flinkJar = null;
        for (Pipeline pipeline : platform.pipelines()) {
            if (env.engine(pipeline.name()) == EnvironmentConfig.Engine.STREAMS) {
                for (StreamsApp app : pipeline.streamsApps(platform.context())) {
                    FargateComponentConstruct component =
                            component(
                                    env,
                                    cluster,
                                    image,
                                    kafka,
                                    storage,
                                    topics,
                                    new FargateComponentConstruct.Spec(
                                            app.name(),
                                            app.applicationId(),
                                            app.inputTopics(),
                                            platform.environment(),
                                            Map.of(),
                                            null));
                    kafka.access()
                            .grantStreamsApp(
                                    component.taskRole(),
                                    app.applicationId(),
                                    app.inputTopics(),
                                    app.outputTopics());
                    monitoring.consumerLag(
                            app.applicationId(), app.inputTopics(), env.lagPerTask() * 10.0);
                }
            } else {
                if (flinkJar == null) {
                    flinkJar =
                            Asset.Builder.create(this, "FlinkJobJar")
                                    .path(artifacts.flinkJar().toString())
                                    .build();
                }
                FlinkApplicationConstruct flink =
                        new FlinkApplicationConstruct(
                                this,
                                "Flink-" + pipeline.name(),
                                env,
                                platform,
                                pipeline,
                                flinkJar,
                                network,
                                kafka);
                flink.application().getNode().addDependency(topics.trigger());
                flinkApps.put(pipeline.name(), flink);
                monitoring.flink(flink.applicationName());
                List<String> inputs = new ArrayList<>();
                pipeline.streamsApps(platform.context())
                        .forEach(a -> inputs.addAll(a.inputTopics()));
                monitoring.consumerLag(
                        FlinkApplicationConstruct.groupPrefix(platform, pipeline.name()),
                        inputs,
                        env.lagPerTask() * 10.0);
            }
            for (ServiceSpec spec : pipeline.services()) {
                Map<String, Secret> secrets = new LinkedHashMap<>();
                String certificate = null;
                if (spec.publicHttp()) {
                    apiKeys =
                            software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(
                                            this, "AuditApiKeys")
                                    .secretName(env.prefix() + "/audit/api-keys")
                                    .description(
                                            "Audit ingest API keys ("
                                                    + AuditSettings.API_KEYS.name()
                                                    + "): id:key or bare keys, comma-separated")
                                    .encryptionKey(key)
                                    .generateSecretString(
                                            SecretStringGenerator.builder()
                                                    .secretStringTemplate("{}")
                                                    .generateStringKey("keys")
                                                    .excludePunctuation(true)
                                                    .passwordLength(40)
                                                    .build())
                                    .build();
                    secrets.put(
                            AuditSettings.API_KEYS.envName(),
                            Secret.fromSecretsManager(apiKeys, "keys"));
                    certificate = env.apiCertificateArn();
                }
                FargateComponentConstruct component =
                        component(
                                env,
                                cluster,
                                image,
                                kafka,
                                storage,
                                topics,
                                new FargateComponentConstruct.Spec(
                                        spec.name(),
                                        spec.groups().get(0),
                                        spec.inputTopics(),
                                        platform.environment(),
                                        secrets,
                                        certificate));
                for (String group : spec.groups()) {
                    kafka.access()
                            .grantStreamsApp(
                                    component.taskRole(),
                                    group,
                                    spec.inputTopics(),
                                    spec.outputTopics());
                    monitoring.consumerLag(group, spec.inputTopics(), env.lagPerTask() * 10.0);
                }
                // Its buckets only: it reads, writes and deletes there (the cache expires
                // objects, the ingest removes a staged payload it could not record).
                for (ConfigKey<String> bucketKey : spec.buckets()) {
                    Bucket bucket = storage.bucket(bucketKey);
                    bucket.grantReadWrite(component.taskRole());
                    bucket.grantDelete(component.taskRole());
                }
                if (component.loadBalanced() != null) {
                    monitoring.ingestErrors(component.loadBalanced().getLoadBalancer());
                }
            }
            monitoring.deadLetters(
                    TopicCatalog.dlqOf(pipeline.name()).name(), env.brokers(), kafka.provisioned());
        }
        connectors
                .configs()
                .forEach(
                        (name, config) -> {
                            var reads = ConnectorsConstruct.reads(config);
                            if (!reads.isEmpty()) {
                                monitoring.consumerLag(
                                        "connect-" + name,
                                        List.copyOf(reads),
                                        env.lagPerTask() * 10.0);
                            }
                        });
        if (kafka.provisioned()) {
            monitoring.brokers(env.brokers());
        }
        monitoring.finish();
        NagRules.apply(this, env);
    }

    private FargateComponentConstruct component(
            EnvironmentConfig env,
            Cluster cluster,
            ContainerImage image,
            KafkaClusterConstruct kafka,
            StorageConstruct storage,
            TopicsTaskConstruct topics,
            FargateComponentConstruct.Spec spec) {
        FargateComponentConstruct component =
                new FargateComponentConstruct(
                        this,
                        "Component-" + spec.component(),
                        env,
                        cluster,
                        image,
                        kafka,
                        storage.logs(),
                        spec);
        component.service().getNode().addDependency(topics.trigger());
        components.put(spec.component(), component);
        return component;
    }

    private static StackProps props(EnvironmentConfig env) {
        Environment.Builder where = Environment.builder().region(env.region());
        if (!env.account().isEmpty()) {
            where.account(env.account());
        }
        return StackProps.builder()
                .env(where.build())
                .stackName(env.prefix())
                .description(
                        "millrace " + env.name() + ": MSK, MSK Connect, ECS, Managed Flink, S3")
                .terminationProtection(env.retain())
                .build();
    }

    public StorageConstruct storage() {
        return storage;
    }

    public Platform platform() {
        return platform;
    }

    public ConnectorsConstruct connectors() {
        return connectors;
    }

    public Map<String, FargateComponentConstruct> components() {
        return components;
    }

    public Map<String, FlinkApplicationConstruct> flinkApps() {
        return flinkApps;
    }

    public MonitoringConstruct monitoring() {
        return monitoring;
    }
}
