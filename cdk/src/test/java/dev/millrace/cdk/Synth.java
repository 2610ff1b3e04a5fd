package dev.millrace.cdk;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * One synthesized stack per environment for every test in the JVM: a synth takes seconds, so each
 * environment is built once, with the AwsSolutions checks on, as {@code cdk synth} builds it.
 */
final class Synth {
    record Result(App app, MillraceStack stack, Template template) {}

    private static final Map<String, Result> CACHE = new ConcurrentHashMap<>();

    private Synth() {}

    static synchronized Result of(String name) {
        return CACHE.computeIfAbsent(name, Synth::build);
    }

    /**
     * An environment file with some keys changed, synthesized on its own (not cached): a shape no
     * environment file has, such as MSK Serverless.
     */
    static Result variant(String name, Map<String, String> changes) {
        Path root = MillraceApp.root();
        try {
            java.util.Properties properties = new java.util.Properties();
            try (var in =
                    java.nio.file.Files.newBufferedReader(
                            root.resolve("cdk/env").resolve(name + ".properties"))) {
                properties.load(in);
            }
            properties.putAll(changes);
            Path dir = java.nio.file.Files.createTempDirectory("cdk-env");
            try (var out =
                    java.nio.file.Files.newBufferedWriter(dir.resolve(name + ".properties"))) {
                properties.store(out, null);
            }
            return build(name, dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Result build(String name) {
        return build(name, MillraceApp.root().resolve("cdk/env"));
    }

    private static Result build(String name, Path envDir) {
        Path root = MillraceApp.root();
        Map<String, Object> context = new java.util.HashMap<>(MillraceApp.FLAGS);
        // The assets are hashed, not copied: the templates are what the tests look at.
        context.put("aws:cdk:disable-asset-staging", true);
        App app = new App(AppProps.builder().context(context).build());
        EnvironmentConfig env = EnvironmentConfig.load(envDir, name);
        MillraceStack stack =
                new MillraceStack(
                        app, env.prefix(), env, Artifacts.locate(root, MillraceApp.version()));
        MillraceApp.check(app);
        return new Result(app, stack, Template.fromStack(stack));
    }
}
