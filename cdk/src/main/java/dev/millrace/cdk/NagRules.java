package dev.millrace.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.constructs.IConstruct;

/**
 * Every AwsSolutions finding the app does not fix, with the reason it stands, in one place, so that
 * a reviewer sees every exception at once; {@code NagTest} fails on any finding not listed here.
 * Wildcard suppressions name the exact resource patterns they allow ({@code appliesTo}), so a new
 * wildcard elsewhere is still a finding.
 */
final class NagRules {
    /** The singleton Lambda behind AwsCustomResource (bootstrap brokers, topics task run). */
    static final String CUSTOM_RESOURCE_PROVIDER = "AWS679f53fac002430cb0da5b7982bd2287";

    private NagRules() {}

    static void apply(Stack stack, EnvironmentConfig env) {
        String cluster = env.prefix().replace("-", "\\-");
        NagSuppressions.addStackSuppressions(
                stack,
                List.of(
                        because(
                                "IAM5",
                                "MSK resource ARNs name our cluster by its name; its id is a"
                                        + " wildcard because it exists only once the cluster does."
                                        + " Topics, groups and transactional ids are named one by"
                                        + " one; prefixes only for Streams internal topics and"
                                        + " transactional ids (<application.id>-*) and MSK"
                                        + " Connect's own state (__amazon_msk_connect_*).",
                                regex(
                                        "/^Resource::arn:[^:]+:kafka:.+:(topic|group|transactional-id)\\/"
                                                + cluster
                                                + "\\/\\*\\/.+$/g")),
                        because(
                                "IAM5",
                                "Objects of one named bucket: a component writes objects under keys"
                                        + " it derives at run time (cache paths, archive dates).",
                                regex("/^Resource::<Storage[A-Za-z0-9]+\\.Arn>\\/\\*$/g")),
                        because(
                                "IAM5",
                                "The CDK bootstrap asset bucket's objects: read access to the"
                                        + " Flink job jar asset (grantRead of the asset).",
                                regex(
                                        "/^Resource::arn:[^:]+:s3:::cdk-[a-z0-9]+-assets-.+\\/\\*$/g")),
                        because(
                                "IAM5",
                                "Action groups of the CDK bucket and key grants (read, write,"
                                        + " delete), each on one bucket or its key only.",
                                "Action::s3:GetObject*",
                                "Action::s3:GetBucket*",
                                "Action::s3:List*",
                                "Action::s3:DeleteObject*",
                                "Action::s3:Abort*",
                                "Action::kms:GenerateDataKey*",
                                "Action::kms:ReEncrypt*"),
                        because(
                                "ECS2",
                                "The variables are millrace's non-secret settings (MILLRACE_*:"
                                        + " bootstrap servers, buckets, URLs); secrets reach the"
                                        + " tasks through ECS secrets from Secrets Manager."),
                        because(
                                "SMG4",
                                "MQTT accounts and API keys are rotated by the operator (the broker"
                                        + " and the ingest read them at start); no rotation Lambda"
                                        + " is deployed.")),
                true);

        List<IConstruct> all = new ArrayList<>(stack.getNode().findAll());
        for (IConstruct construct : all) {
            String path = construct.getNode().getPath();
            if (path.endsWith("/ExecutionRole")) {
                NagSuppressions.addResourceSuppressions(
                        construct,
                        List.of(
                                because(
                                        "IAM5",
                                        "ecr:GetAuthorizationToken has no resource-level"
                                                + " permissions; image pulls and logs are scoped"
                                                + " by CDK.",
                                        "Resource::*")),
                        true);
            } else if (path.endsWith("/LB/SecurityGroup")) {
                NagSuppressions.addResourceSuppressions(
                        construct,
                        List.of(
                                because(
                                        "EC23",
                                        "The audit ingest's public HTTPS endpoint (443, and 80"
                                                + " redirected to it) is meant for any client;"
                                                + " API keys authenticate requests.")),
                        true);
            } else if (path.matches(".*/Flink-[^/]+/Role")) {
                NagSuppressions.addResourceSuppressions(
                        construct,
                        List.of(
                                because(
                                        "IAM5",
                                        "Managed Flink manages network interfaces in the VPC (EC2"
                                                + " actions without resource-level permissions)"
                                                + " and lists log groups to find its own.",
                                        "Resource::*",
                                        "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*")),
                        true);
            } else if (construct instanceof Distribution) {
                NagSuppressions.addResourceSuppressions(
                        construct,
                        List.of(
                                because(
                                        "CFR1",
                                        "WIS2 Global Cache data is public and served worldwide:"
                                                + " no geographic restriction."),
                                because(
                                        "CFR2",
                                        "Static, public, cacheable objects behind origin access"
                                                + " control; no WAF web ACL for a read-only"
                                                + " download path."),
                                because(
                                        "CFR4",
                                        "Served on the distribution's default *.cloudfront.net"
                                                + " name, whose certificate CloudFront manages;"
                                                + " viewers are HTTPS-only.")),
                        true);
            }
        }
        NagSuppressions.addResourceSuppressionsByPath(
                stack,
                "/"
                        + stack.getStackName()
                        + "/"
                        + CUSTOM_RESOURCE_PROVIDER
                        + "/ServiceRole/Resource",
                List.of(
                        because(
                                "IAM4",
                                "The AwsCustomResource provider's Lambda logs with the AWS managed"
                                        + " basic execution policy; it only calls"
                                        + " kafka:GetBootstrapBrokers and ecs:RunTask.",
                                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")));
    }

    static NagPackSuppression because(String rule, String reason, Object... appliesTo) {
        NagPackSuppression.Builder builder =
                NagPackSuppression.builder().id("AwsSolutions-" + rule).reason(reason);
        if (appliesTo.length > 0) {
            builder.appliesTo(List.of(appliesTo));
        }
        return builder.build();
    }

    private static RegexAppliesTo regex(String regex) {
        return RegexAppliesTo.builder().regex(regex).build();
    }
}
