package dev.millrace.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.pipeline.Pipeline;
import dev.millrace.pipeline.ServiceSpec;
import dev.millrace.pipeline.StreamsApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The templates of both environments: what each deploys and how it is secured, checked on the
 * synthesized CloudFormation, against the pipeline registry and the environment files.
 */
class MillraceStackTest {

    private static Template template(String env) {
        return Synth.of(env).template();
    }

    private static EnvironmentConfig env(String env) {
        return Synth.of(env).stack().platform().env();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources(String env, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        template(env)
                .findResources(type)
                .forEach((id, r) -> found.put(id, (Map<String, Object>) r.get("Properties")));
        return found;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void mskAcceptsOnlyIamClientsOverTlsAndEncryptsAtRest(String env) {
        Template t = template(env);
        t.resourceCountIs("AWS::MSK::Cluster", 1);
        t.hasResourceProperties(
                "AWS::MSK::Cluster",
                Match.objectLike(
                        Map.of(
                                "NumberOfBrokerNodes",
                                env(env).brokers(),
                                "ClientAuthentication",
                                Map.of(
                                        "Sasl",
                                        Map.of("Iam", Map.of("Enabled", true)),
                                        "Unauthenticated",
                                        Map.of("Enabled", false)),
                                "EncryptionInfo",
                                Map.of(
                                        "EncryptionAtRest",
                                        Map.of("DataVolumeKMSKeyId", Match.anyValue()),
                                        "EncryptionInTransit",
                                        Map.of("ClientBroker", "TLS", "InCluster", true)),
                                "LoggingInfo",
                                Map.of(
                                        "BrokerLogs",
                                        Map.of(
                                                "CloudWatchLogs",
                                                Match.objectLike(Map.of("Enabled", true)))))));
        // Brokers in the three private subnets, one per zone.
        Map<String, Object> cluster =
                resources(env, "AWS::MSK::Cluster").values().iterator().next();
        @SuppressWarnings("unchecked")
        Map<String, Object> nodes = (Map<String, Object>) cluster.get("BrokerNodeGroupInfo");
        assertThat((List<?>) nodes.get("ClientSubnets")).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void brokersReplicateThreeTimesWithMinIsrTwoAndNeverAutoCreateTopics(String env) {
        Map<String, Object> conf =
                resources(env, "AWS::MSK::Configuration").values().iterator().next();
        Set<String> lines = Set.of(conf.get("ServerProperties").toString().split("\n"));
        assertThat(lines)
                .contains(
                        "default.replication.factor=3",
                        "min.insync.replicas=2",
                        "auto.create.topics.enable=false",
                        "unclean.leader.election.enable=false");
    }

    /** No Kafka or S3 data action on a wildcard resource; Kafka resources name our cluster. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    @SuppressWarnings("unchecked")
    void noKafkaOrS3DataPermissionOnAWildcardResource(String env) {
        int kafkaStatements = 0;
        for (Map<String, Object> policy : resources(env, "AWS::IAM::Policy").values()) {
            Map<String, Object> document = (Map<String, Object>) policy.get("PolicyDocument");
            for (Map<String, Object> statement :
                    (List<Map<String, Object>>) document.get("Statement")) {
                List<String> actions = asList(statement.get("Action"));
                List<Object> resources = asObjects(statement.get("Resource"));
                boolean kafka = actions.stream().anyMatch(a -> a.startsWith("kafka-cluster:"));
                boolean s3Data =
                        actions.stream()
                                .anyMatch(a -> a.matches("s3:(Get|Put|Delete)Object.*|s3:\\*"));
                if (kafka || s3Data) {
                    assertThat(resources).as("resources of %s", actions).doesNotContain("*");
                }
                if (kafka) {
                    kafkaStatements++;
                    assertThat(actions).noneMatch(a -> a.equals("kafka-cluster:*"));
                    for (Object r : resources) {
                        String text = r.toString();
                        assertThat(text)
                                .as("a Kafka resource names the cluster")
                                .satisfiesAnyOf(
                                        s ->
                                                assertThat(s)
                                                        .contains("/" + env(env).prefix() + "/*/"),
                                        s -> assertThat(s).contains("KafkaCluster"));
                    }
                }
            }
        }
        assertThat(kafkaStatements).isGreaterThan(10);
    }

    /** A Streams application reads only its inputs and writes only its pipeline's topics. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachStreamsAppReadsOnlyItsInputTopics(String env) {
        MillraceStack stack = Synth.of(env).stack();
        int checked = 0;
        for (Pipeline pipeline : stack.platform().pipelines()) {
            if (env(env).engine(pipeline.name()) != EnvironmentConfig.Engine.STREAMS) {
                continue;
            }
            for (StreamsApp app : pipeline.streamsApps(stack.platform().context())) {
                Set<String> read =
                        topicsWith(env, "Component-" + app.name(), "kafka-cluster:ReadData");
                Set<String> expected = new TreeSet<>(app.inputTopics());
                expected.add(app.applicationId() + "-*");
                assertThat(read).isEqualTo(expected);
                Set<String> written =
                        topicsWith(env, "Component-" + app.name(), "kafka-cluster:WriteData");
                Set<String> outputs = new TreeSet<>(app.outputTopics());
                outputs.add(app.applicationId() + "-*");
                assertThat(written)
                        .isEqualTo(outputs)
                        .doesNotContainAnyElementsOf(app.inputTopics());
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    /** A service reads and writes only the topics its registry entry names. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceReadsAndWritesOnlyItsTopics(String env) {
        MillraceStack stack = Synth.of(env).stack();
        int checked = 0;
        for (Pipeline pipeline : stack.platform().pipelines()) {
            for (ServiceSpec spec : pipeline.services()) {
                Set<String> internal = new TreeSet<>();
                spec.groups().forEach(g -> internal.add(g + "-*"));
                Set<String> read = new TreeSet<>(spec.inputTopics());
                read.addAll(internal);
                Set<String> written = new TreeSet<>(spec.outputTopics());
                written.addAll(internal);
                assertThat(topicsWith(env, "Component-" + spec.name(), "kafka-cluster:ReadData"))
                        .isEqualTo(read);
                assertThat(topicsWith(env, "Component-" + spec.name(), "kafka-cluster:WriteData"))
                        .isEqualTo(written);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2);
    }

    /** A service's task role reaches its own buckets (from the registry) and no other. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceReachesOnlyItsBuckets(String env) {
        MillraceStack stack = Synth.of(env).stack();
        Map<String, String> logicalIds = new java.util.HashMap<>();
        stack.storage()
                .byConfigKey()
                .forEach(
                        (key, bucket) ->
                                logicalIds.put(
                                        key,
                                        stack.getLogicalId(
                                                (software.amazon.awscdk.CfnElement)
                                                        bucket.getNode().getDefaultChild())));
        int checked = 0;
        for (Pipeline pipeline : stack.platform().pipelines()) {
            for (ServiceSpec spec : pipeline.services()) {
                String policies = policiesOf(env, "Component-" + spec.name());
                Set<String> reached = new TreeSet<>();
                logicalIds.forEach(
                        (key, id) -> {
                            if (policies.contains("\"" + id + "\"")) {
                                reached.add(key);
                            }
                        });
                Set<String> own = new TreeSet<>();
                spec.buckets().forEach(k -> own.add(k.name()));
                assertThat(reached).as(spec.name()).isEqualTo(own);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2);
    }

    /** The policy documents of a component's task role, as JSON text. */
    private static String policiesOf(String env, String component) {
        StringBuilder text = new StringBuilder();
        template(env)
                .findResources("AWS::IAM::Policy")
                .forEach(
                        (id, r) -> {
                            if (id.startsWith(component.replace("-", "") + "Task")) {
                                try {
                                    text.append(
                                            new com.fasterxml.jackson.databind.ObjectMapper()
                                                    .writeValueAsString(r));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        });
        assertThat(text).as("policies of " + component).isNotEmpty();
        return text.toString();
    }

    @org.junit.jupiter.api.Test
    void mskServerlessTakesOnlyIamClientsInThePrivateSubnets() {
        Template t = Synth.variant("dev", Map.of("msk.mode", "serverless")).template();
        t.resourceCountIs("AWS::MSK::Cluster", 0);
        t.resourceCountIs("AWS::MSK::Configuration", 0);
        t.resourceCountIs("AWS::MSK::ServerlessCluster", 1);
        t.hasResourceProperties(
                "AWS::MSK::ServerlessCluster",
                Map.of(
                        "ClientAuthentication",
                        Map.of("Sasl", Map.of("Iam", Map.of("Enabled", true)))));
        String vpc = flatten(t.findResources("AWS::MSK::ServerlessCluster"));
        assertThat(vpc).contains("VpcConfigs", "SubnetIds", "SecurityGroups");
        // The topics task still creates the catalog, as no AWS::MSK::Topic works there.
        assertThat(flatten(t.toJSON())).contains("topics", "--create");
    }

    /** The topic names a component's policies grant {@code action} on. */
    @SuppressWarnings("unchecked")
    private static Set<String> topicsWith(String env, String component, String action) {
        Set<String> topics = new TreeSet<>();
        template(env)
                .findResources("AWS::IAM::Policy")
                .forEach(
                        (id, r) -> {
                            if (!id.startsWith(component.replace("-", "") + "Task")) {
                                return;
                            }
                            Map<String, Object> doc =
                                    (Map<String, Object>)
                                            ((Map<String, Object>) r.get("Properties"))
                                                    .get("PolicyDocument");
                            for (Map<String, Object> s :
                                    (List<Map<String, Object>>) doc.get("Statement")) {
                                if (asList(s.get("Action")).contains(action)) {
                                    for (Object res : asObjects(s.get("Resource"))) {
                                        String arn = resolve(res);
                                        int at = arn.indexOf(":topic/");
                                        if (at >= 0) {
                                            String rest = arn.substring(at + ":topic/".length());
                                            topics.add(rest.substring(rest.indexOf("/*/") + 3));
                                        }
                                    }
                                }
                            }
                        });
        return topics;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyBucketRefusesPlainHttpAndBlocksPublicAccess(String env) {
        Template t = template(env);
        Map<String, Map<String, Object>> buckets = resources(env, "AWS::S3::Bucket");
        assertThat(buckets).hasSize(5);
        for (Map<String, Object> bucket : buckets.values()) {
            assertThat(bucket.get("PublicAccessBlockConfiguration"))
                    .isEqualTo(
                            Map.of(
                                    "BlockPublicAcls", true,
                                    "BlockPublicPolicy", true,
                                    "IgnorePublicAcls", true,
                                    "RestrictPublicBuckets", true));
        }
        Map<String, Map<String, Object>> policies = resources(env, "AWS::S3::BucketPolicy");
        assertThat(policies).hasSize(buckets.size());
        t.allResourcesProperties(
                "AWS::S3::BucketPolicy",
                Match.objectLike(
                        Map.of(
                                "PolicyDocument",
                                Match.objectLike(
                                        Map.of(
                                                "Statement",
                                                Match.arrayWith(
                                                        List.of(
                                                                Match.objectLike(
                                                                        Map.of(
                                                                                "Effect",
                                                                                "Deny",
                                                                                "Condition",
                                                                                Map.of(
                                                                                        "Bool",
                                                                                        Map.of(
                                                                                                "aws:SecureTransport",
                                                                                                "false")))))))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void auditArchiveIsKmsEncryptedAndVersioned(String env) {
        Map<String, Object> archive = bucket(env, "StorageAuditArchive");
        assertThat(archive.get("VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled"));
        assertThat(archive.toString()).contains("SSEAlgorithm=aws:kms").contains("DataKey");
        Map<String, Object> failure = bucket(env, "StorageAuditFailure");
        assertThat(failure.toString()).contains("SSEAlgorithm=aws:kms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cachedObjectsExpireAfterAtLeADayAndStagingSoon(String env) {
        assertThat(expirationDays(bucket(env, "StorageWis2Cache")))
                .isEqualTo(env(env).cacheRetentionDays())
                .isGreaterThanOrEqualTo(1);
        assertThat(expirationDays(bucket(env, "StorageAuditStaging")))
                .isEqualTo(env(env).stagingExpiryDays());
        assertThat(expirationDays(bucket(env, "StorageAuditArchive"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cacheIsDownloadedOverHttpsThroughCloudFrontOnly(String env) {
        Template t = template(env);
        t.hasResourceProperties(
                "AWS::CloudFront::Distribution",
                Match.objectLike(
                        Map.of(
                                "DistributionConfig",
                                Match.objectLike(
                                        Map.of(
                                                "DefaultCacheBehavior",
                                                Match.objectLike(
                                                        Map.of(
                                                                "ViewerProtocolPolicy",
                                                                "https-only")))))));
        t.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        // The cache step publishes hrefs under the distribution's name.
        assertThat(
                        Synth.of(env)
                                .stack()
                                .platform()
                                .environment()
                                .get("MILLRACE_WIS2_CACHE_BASE_URL"))
                .startsWith("https://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    @SuppressWarnings("unchecked")
    void eachFlinkPipelineIsAManagedFlinkApplicationWithItsJobAndCheckpoints(String env) {
        Map<String, Map<String, Object>> apps =
                resources(env, "AWS::KinesisAnalyticsV2::Application");
        List<String> flinkPipelines =
                env(env).engines().entrySet().stream()
                        .filter(e -> e.getValue() == EnvironmentConfig.Engine.FLINK)
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(flinkPipelines).isNotEmpty();
        assertThat(apps).hasSize(flinkPipelines.size());
        Set<String> jobs = new TreeSet<>();
        for (Map<String, Object> app : apps.values()) {
            assertThat(app.get("RuntimeEnvironment")).isEqualTo("FLINK-2_2");
            Map<String, Object> config = (Map<String, Object>) app.get("ApplicationConfiguration");
            Map<String, Object> flink =
                    (Map<String, Object>) config.get("FlinkApplicationConfiguration");
            assertThat((Map<String, Object>) flink.get("CheckpointConfiguration"))
                    .containsEntry("CheckpointingEnabled", true)
                    .containsEntry("ConfigurationType", "CUSTOM");
            assertThat((Map<String, Object>) flink.get("ParallelismConfiguration"))
                    .containsEntry("Parallelism", env(env).flinkParallelism())
                    .containsEntry("AutoScalingEnabled", env(env).flinkAutoScaling());
            assertThat(config.get("ApplicationSnapshotConfiguration"))
                    .isEqualTo(Map.of("SnapshotsEnabled", true));
            Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
            for (Map<String, Object> g :
                    (List<Map<String, Object>>)
                            ((Map<String, Object>) config.get("EnvironmentProperties"))
                                    .get("PropertyGroups")) {
                groups.put(
                        g.get("PropertyGroupId").toString(),
                        (Map<String, Object>) g.get("PropertyMap"));
            }
            assertThat(groups.get("kafka"))
                    .containsEntry("kafka.auth", "iam")
                    .containsKey("kafka.bootstrap-servers");
            Map<String, Object> millrace = groups.get("millrace");
            jobs.add(millrace.get("flink.job").toString());
            // Only keys the jobs know: Streams and HTTP settings stay with the services.
            assertThat(millrace.keySet())
                    .noneMatch(k -> k.startsWith("streams.") || k.startsWith("http."));
            // The code is the build's job jar, as an asset.
            Map<String, Object> code =
                    (Map<String, Object>) config.get("ApplicationCodeConfiguration");
            assertThat(flatten(code)).contains(".jar");
        }
        assertThat(jobs).containsExactlyInAnyOrderElementsOf(flinkPipelines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    @SuppressWarnings("unchecked")
    void everyComponentScalesOnItsBacklogPerTaskWithinBounds(String env) {
        Map<String, Map<String, Object>> targets =
                resources(env, "AWS::ApplicationAutoScaling::ScalableTarget");
        Map<String, Map<String, Object>> policies =
                resources(env, "AWS::ApplicationAutoScaling::ScalingPolicy");
        int components = Synth.of(env).stack().components().size();
        assertThat(components).isGreaterThanOrEqualTo(3);
        assertThat(targets).hasSize(components);
        assertThat(policies).hasSize(components);
        for (Map<String, Object> target : targets.values()) {
            assertThat(target)
                    .containsEntry("MinCapacity", env(env).serviceMinTasks())
                    .containsEntry("MaxCapacity", env(env).serviceMaxTasks());
        }
        int onRequests = 0;
        for (Map<String, Object> policy : policies.values()) {
            assertThat(policy).containsEntry("PolicyType", "TargetTrackingScaling");
            Map<String, Object> tracking =
                    (Map<String, Object>) policy.get("TargetTrackingScalingPolicyConfiguration");
            if (tracking.containsKey("PredefinedMetricSpecification")) {
                // The HTTP API, behind its load balancer, scales on requests per task.
                assertThat(flatten(tracking.get("PredefinedMetricSpecification")))
                        .contains("ALBRequestCountPerTarget");
                assertThat(tracking).containsEntry("TargetValue", env(env).requestsPerTask());
                onRequests++;
                continue;
            }
            assertThat(tracking).containsEntry("TargetValue", env(env).lagPerTask());
            String metrics = flatten(tracking.get("CustomizedMetricSpecification"));
            assertThat(metrics).contains("SumOffsetLag", "RunningTaskCount", "/ tasks");
        }
        assertThat(onRequests).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void alarmsWatchLagDeadLettersAndIngestErrors(String env) {
        Map<String, Map<String, Object>> alarms = resources(env, "AWS::CloudWatch::Alarm");
        String all = flatten(alarms.values());
        for (Pipeline pipeline : Synth.of(env).stack().platform().pipelines()) {
            assertThat(all).contains(TopicCatalog.dlqOf(pipeline.name()).name());
        }
        assertThat(all).contains("SumOffsetLag", "HTTPCode_Target_5XX_Count", "MessagesInPerSec");
        assertThat(alarms.values()).allMatch(a -> a.containsKey("AlarmActions"));
        template(env).resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        assertThat(resources(env, "AWS::Logs::LogGroup").values())
                .allMatch(g -> g.containsKey("RetentionInDays"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void ingestIsBehindHttpsWithItsCertificateAndHealthChecks(String env) {
        Template t = template(env);
        t.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Match.objectLike(
                        Map.of(
                                "Protocol",
                                "HTTPS",
                                "Port",
                                443,
                                "Certificates",
                                List.of(Map.of("CertificateArn", env(env).apiCertificateArn())))));
        t.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Match.objectLike(
                        Map.of(
                                "HealthCheckPath",
                                "/health",
                                "Matcher",
                                Map.of("HttpCode", "200"))));
        t.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Match.objectLike(
                        Map.of(
                                "Protocol",
                                "TLS",
                                "Port",
                                MqttBrokerConstruct.TLS_PORT,
                                "Certificates",
                                List.of(Map.of("CertificateArn", env(env).mqttCertificateArn())))));
        // API keys reach the ingest from Secrets Manager, never as plain text.
        String taskDefinitions = flatten(resources(env, "AWS::ECS::TaskDefinition").values());
        assertThat(taskDefinitions).contains("Name=MILLRACE_AUDIT_API_KEYS, ValueFrom=");
        assertThat(taskDefinitions).doesNotContain("Name=MILLRACE_AUDIT_API_KEYS, Value=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void topicsAreCreatedByTheOneShotTaskWithIam(String env) {
        String tasks = flatten(resources(env, "AWS::ECS::TaskDefinition").values());
        assertThat(tasks).contains("Command=[topics, --create]");
        assertThat(tasks).contains("Name=MILLRACE_KAFKA_AUTH, Value=iam");
        assertThat(flatten(template(env).findResources("Custom::AWS"))).contains("runTask");
    }

    /**
     * One MSK Connect connector per registry connector, with the registry's config, and each config
     * (deploy-time values filled in) passes its connector's own validation.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    @SuppressWarnings("unchecked")
    void everyConnectorIsTheRegistrysAndPassesItsConnectorsValidation(String env) throws Exception {
        MillraceStack stack = Synth.of(env).stack();
        Set<String> expected = new TreeSet<>();
        for (Pipeline pipeline : stack.platform().pipelines()) {
            pipeline.connectors(stack.platform().context())
                    .keySet()
                    .forEach(name -> expected.add(env(env).prefix() + "-" + name));
        }
        Map<String, Map<String, Object>> connectors =
                resources(env, "AWS::KafkaConnect::Connector");
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> connector : connectors.values()) {
            names.add(connector.get("ConnectorName").toString());
            assertThat(connector)
                    .containsEntry("KafkaConnectVersion", "3.7.x")
                    .containsEntry(
                            "KafkaClusterClientAuthentication", Map.of("AuthenticationType", "IAM"))
                    .containsEntry(
                            "KafkaClusterEncryptionInTransit", Map.of("EncryptionType", "TLS"));
            Map<String, String> config = new LinkedHashMap<>();
            ((Map<String, Object>) connector.get("ConnectorConfiguration"))
                    .forEach((k, v) -> config.put(k, resolve(v)));
            assertThat(config.toString()).doesNotContain("millrace-local-secret", "127.0.0.1");
            Connector instance =
                    (Connector)
                            Class.forName(config.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG))
                                    .getDeclaredConstructor()
                                    .newInstance();
            List<String> errors = new ArrayList<>();
            for (ConfigValue value : instance.validate(config).configValues()) {
                value.errorMessages().forEach(e -> errors.add(value.name() + ": " + e));
            }
            assertThat(errors).as("validation of %s", connector.get("ConnectorName")).isEmpty();
        }
        assertThat(names).isEqualTo(expected);
        // The MQTT password is a reference the worker's provider resolves, not a value.
        assertThat(flatten(connectors.values()))
                .contains(
                        "mqtt.password=${secretsmanager:"
                                + env(env).prefix()
                                + "/mqtt/publisher:password}");
        // The plugin is the build's archive.
        assertThat(flatten(resources(env, "AWS::KafkaConnect::CustomPlugin").values()))
                .contains(".zip");
    }

    /** The assets the deploy uploads are the build's: plugin archive, job jar, runtime image. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void assetsAreTheBuildsArtifacts(String env) throws Exception {
        Synth.Result synth = Synth.of(env);
        var assembly = synth.app().synth();
        java.nio.file.Path manifest =
                java.nio.file.Path.of(assembly.getDirectory())
                        .resolve(synth.stack().getStackName() + ".assets.json");
        String assets = java.nio.file.Files.readString(manifest);
        String version = MillraceApp.version();
        assertThat(assets)
                .contains("connectors/target/millrace-connectors-" + version + "-plugin.zip")
                .contains("flink-jobs/target/millrace-flink-jobs-" + version + "-job.jar")
                .contains("cdk/target/image")
                .contains("cdk/docker/mqtt");
        assertThat(
                        java.nio.file.Files.isRegularFile(
                                MillraceApp.root()
                                        .resolve("cdk/target/image/millrace/bin/millrace")))
                .isTrue();
    }

    // ---- template helpers ----------------------------------------------------------------

    private static Map<String, Object> bucket(String env, String idPrefix) {
        return resources(env, "AWS::S3::Bucket").entrySet().stream()
                .filter(e -> e.getKey().startsWith(idPrefix))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bucket " + idPrefix));
    }

    @SuppressWarnings("unchecked")
    private static Integer expirationDays(Map<String, Object> bucket) {
        Map<String, Object> lifecycle = (Map<String, Object>) bucket.get("LifecycleConfiguration");
        for (Map<String, Object> rule : (List<Map<String, Object>>) lifecycle.get("Rules")) {
            if (rule.containsKey("ExpirationInDays")) {
                return ((Number) rule.get("ExpirationInDays")).intValue();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<String> asList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Object::toString).toList();
        }
        return List.of(value.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asObjects(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of(value);
    }

    /** A value with its intrinsic functions flattened to text, for substring checks. */
    private static String flatten(Object value) {
        return String.valueOf(value);
    }

    /**
     * A connector config value as CloudFormation would render it, with plausible deploy-time
     * values: the bootstrap string of an IAM cluster, bucket names, the partition and region.
     */
    @SuppressWarnings("unchecked")
    static String resolve(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("Fn::Join")) {
                List<Object> join = (List<Object>) map.get("Fn::Join");
                return ((List<Object>) join.get(1))
                        .stream()
                                .map(MillraceStackTest::resolve)
                                .collect(Collectors.joining(join.get(0).toString()));
            }
            if (map.containsKey("Fn::GetAtt")) {
                String attribute = ((List<Object>) map.get("Fn::GetAtt")).get(1).toString();
                if (attribute.contains("BootstrapBroker")) {
                    return "b-1.millrace.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,"
                            + "b-2.millrace.abc123.c2.kafka.eu-west-1.amazonaws.com:9098";
                }
                return "attribute-" + attribute.toLowerCase();
            }
            if (map.containsKey("Ref")) {
                String ref = map.get("Ref").toString();
                return switch (ref) {
                    case "AWS::Region" -> "eu-west-1";
                    case "AWS::Partition" -> "aws";
                    case "AWS::AccountId" -> "123456789012";
                    case "AWS::URLSuffix" -> "amazonaws.com";
                    default -> "millrace-" + ref.toLowerCase().replaceAll("[^a-z0-9]", "");
                };
            }
        }
        throw new AssertionError("cannot resolve " + value);
    }
}
