package dev.millrace.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;

/**
 * The CDK app: one {@link MillraceStack} per environment file in {@code cdk/env} (or only the one
 * named by {@code -c env=<name>}), checked by cdk-nag's AwsSolutions pack, synthesized without
 * network access.
 */
public final class MillraceApp {
    /** Feature flags set in code, so that `cdk synth`, `mvn exec:java` and the tests agree. */
    static final Map<String, Object> FLAGS =
            Map.of(
                    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
                    "@aws-cdk/aws-iam:minimizePolicies", true,
                    "@aws-cdk/aws-ecs:disableEcsImdsBlocking", true,
                    "@aws-cdk/core:enablePartitionLiterals", true);

    private MillraceApp() {}

    public static void main(String[] args) {
        Path root = root();
        App app = new App(AppProps.builder().context(FLAGS).build());
        Object only = app.getNode().tryGetContext("env");
        Path envDir = root.resolve("cdk/env");
        List<String> names =
                only == null ? EnvironmentConfig.names(envDir) : List.of(only.toString());
        Artifacts artifacts = Artifacts.locate(root, version());
        for (String name : names) {
            EnvironmentConfig env = EnvironmentConfig.load(envDir, name);
            new MillraceStack(app, env.prefix(), env, artifacts);
        }
        check(app);
        app.synth();
    }

    /** Runs the AwsSolutions rules over every stack of the app at synth. */
    static void check(App app) {
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    }

    /** The repository root: {@code -Dmillrace.root}, else the parent of the working directory. */
    static Path root() {
        String root = System.getProperty("millrace.root");
        Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        return path.toAbsolutePath().normalize();
    }

    /** The project version, whose artifacts the templates deploy (written by the build). */
    static String version() {
        String version = System.getProperty("millrace.version");
        if (version != null) {
            return version;
        }
        try (var in = MillraceApp.class.getResourceAsStream("/millrace-cdk.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "millrace-cdk.properties is missing: build the module with Maven first");
            }
            java.util.Properties props = new java.util.Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
