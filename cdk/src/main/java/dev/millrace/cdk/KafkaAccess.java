package dev.millrace.cdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The {@code kafka-cluster:*} permissions of MSK IAM access control, scoped to named topics, groups
 * and transactional ids of one cluster. Topic, group and transactional-id ARNs name the cluster by
 * its name and leave its id a wildcard ({@code topic/<cluster>/*}{@code /<topic>}): the id exists
 * only once the cluster does, and the name is ours. No statement has a {@code *} resource.
 */
public final class KafkaAccess {
    private final Construct scope;
    private final String clusterArn;
    private final String clusterName;

    public KafkaAccess(Construct scope, String clusterArn, String clusterName) {
        this.scope = scope;
        this.clusterArn = clusterArn;
        this.clusterName = clusterName;
    }

    public String clusterArn() {
        return clusterArn;
    }

    /** The ARN of a topic, group or transactional id (a pattern may end in {@code *}). */
    public String arn(String type, String name) {
        return Stack.of(scope)
                .formatArn(
                        ArnComponents.builder()
                                .service("kafka")
                                .resource(type)
                                .resourceName(clusterName + "/*/" + name)
                                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                                .build());
    }

    /** A client that reads {@code inputs} in {@code group} and writes {@code outputs}. */
    public void grantClient(
            IGrantable grantee,
            Collection<String> inputs,
            Collection<String> outputs,
            Collection<String> groups,
            Collection<String> transactionalIdPrefixes) {
        List<String> cluster = new ArrayList<>(List.of("Connect", "DescribeCluster"));
        if (!outputs.isEmpty()) {
            cluster.add("WriteDataIdempotently");
        }
        add(grantee, List.of(clusterArn), cluster);
        if (!inputs.isEmpty()) {
            add(grantee, arns("topic", inputs), List.of("DescribeTopic", "ReadData"));
        }
        if (!outputs.isEmpty()) {
            add(grantee, arns("topic", outputs), List.of("DescribeTopic", "WriteData"));
        }
        if (!groups.isEmpty()) {
            add(grantee, arns("group", groups), List.of("DescribeGroup", "AlterGroup"));
        }
        if (!transactionalIdPrefixes.isEmpty()) {
            add(
                    grantee,
                    arns("transactional-id", transactionalIdPrefixes.stream().map(p -> p + "*")),
                    List.of("DescribeTransactionalId", "AlterTransactionalId"));
        }
    }

    /**
     * A Kafka Streams application with exactly-once v2: its group, its transactional ids and its
     * internal topics ({@code <application.id>-*}), which it creates.
     */
    public void grantStreamsApp(
            IGrantable grantee,
            String applicationId,
            Collection<String> inputs,
            Collection<String> outputs) {
        grantClient(grantee, inputs, outputs, List.of(applicationId), List.of(applicationId + "-"));
        add(
                grantee,
                arns("topic", List.of(applicationId + "-*")),
                List.of(
                        "CreateTopic",
                        "DescribeTopic",
                        "ReadData",
                        "WriteData",
                        "DescribeTopicDynamicConfiguration",
                        // Streams purges consumed repartition records (DeleteRecords).
                        "DeleteTopic"));
    }

    /**
     * Topics and groups a client creates and owns under a prefix (MSK Connect's {@code
     * __amazon_msk_connect_*} state).
     */
    public void grantOwnPrefix(IGrantable grantee, String prefix) {
        add(
                grantee,
                arns("topic", List.of(prefix + "*")),
                List.of("CreateTopic", "DescribeTopic", "ReadData", "WriteData"));
        add(grantee, arns("group", List.of(prefix + "*")), List.of("DescribeGroup", "AlterGroup"));
    }

    /** {@code millrace topics --create}: create the catalog's topics and align their configs. */
    public void grantTopicAdmin(IGrantable grantee, Collection<String> topics) {
        add(grantee, List.of(clusterArn), List.of("Connect", "DescribeCluster"));
        add(
                grantee,
                arns("topic", topics),
                List.of(
                        "CreateTopic",
                        "DescribeTopic",
                        "AlterTopic",
                        "DescribeTopicDynamicConfiguration",
                        "AlterTopicDynamicConfiguration"));
    }

    private List<String> arns(String type, Collection<String> names) {
        return arns(type, names.stream());
    }

    private List<String> arns(String type, java.util.stream.Stream<String> names) {
        return names.distinct().sorted().map(n -> arn(type, n)).toList();
    }

    private static void add(IGrantable grantee, List<String> resources, List<String> actions) {
        grantee.getGrantPrincipal()
                .addToPrincipalPolicy(
                        PolicyStatement.Builder.create()
                                .effect(Effect.ALLOW)
                                .actions(actions.stream().map(a -> "kafka-cluster:" + a).toList())
                                .resources(resources)
                                .build());
    }
}
