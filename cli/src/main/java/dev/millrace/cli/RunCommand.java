package dev.millrace.cli;

import dev.millrace.cli.pipeline.StreamsApp;
import dev.millrace.config.Config;
import dev.millrace.streams.StreamsRunner;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace run <component>}: one pipeline's Streams application against any Kafka (the
 * {@code kafka.*} keys; MSK with {@code kafka.auth=iam}), until Ctrl-C or SIGTERM.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run one component against the configured Kafka until stopped: a pipeline's Streams"
                    + " application (telemetry)."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(
            index = "0",
            paramLabel = "COMPONENT",
            description = "The component: telemetry or wis2.")
    String component;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        Map<String, StreamsApp> apps = ResetCommand.apps(config);
        StreamsApp app = apps.get(component);
        if (app == null) {
            throw new CommandFailedException(
                    "no component '" + component + "'; components: " + apps.keySet());
        }
        StreamsRunner runner = app.factory().get();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    runner.close();
                                    stopped.countDown();
                                },
                                "millrace-stop"));
        runner.start();
        stopped.await();
        return 0;
    }
}
