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

    private static Result build(String name) {
        Path root = MillraceApp.root();
        Map<String, Object> context = new java.util.HashMap<>(MillraceApp.FLAGS);
        // The assets are hashed, not copied: the templates are what the tests look at.
        context.put("aws:cdk:disable-asset-staging", true);
        App app = new App(AppProps.builder().context(context).build());
        EnvironmentConfig env = EnvironmentConfig.load(root.resolve("cdk/env"), name);
        MillraceStack stack =
                new MillraceStack(
                        app, env.prefix(), env, Artifacts.locate(root, MillraceApp.version()));
        MillraceApp.check(app);
        return new Result(app, stack, Template.fromStack(stack));
    }
}
