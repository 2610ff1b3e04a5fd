package dev.millrace.stack.command;

import dev.millrace.cli.ConfigOptions;
import dev.millrace.config.Config;
import dev.millrace.services.http.Health;
import dev.millrace.stack.LocalStack;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.stack.demo.Demo;
import dev.millrace.stack.demo.DemoFeed;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace up}: the local stack, until Ctrl-C or SIGTERM. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start the local stack: Kafka (KRaft), MQTT, S3, Kafka Connect with the pipelines'"
                    + " connectors, the pipelines' Streams applications and the HTTP API.",
            "State lives under the data dir; a second `up` resumes from it."
        })
final class UpCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(UpCommand.class);
    private static final Duration HEALTH_WAIT = Duration.ofMinutes(2);
    private static final long STOP_LIMIT_MS = 9_500;

    @Mixin ConfigOptions options;

    @Option(
            names = "--demo",
            description =
                    "Also run the race simulator and a demo WIS2 node, so that data flows at once.")
    boolean demo;

    @Option(
            names = "--engine",
            paramLabel = "ENGINE",
            description =
                    "streams (default), flink (the Flink jobs on a local Flink session instead of"
                            + " the Streams topologies) or none (no topology: run them with"
                            + " millrace run <pipeline>); key local.engine.")
    String engine;

    @Override
    public Integer call() throws Exception {
        if (engine != null) {
            options.set(LocalStackSettings.ENGINE.name(), engine);
        }
        Config config = options.load();
        LocalStack stack = LocalStack.start(LocalStackSettings.from(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stopWithin(STOP_LIMIT_MS);
                                    log.info("stopping");
                                    stack.close();
                                    log.info("stopped");
                                    stopped.countDown();
                                },
                                "millrace-stop"));
        Map<String, Health.Status> health = stack.awaitHealthy(HEALTH_WAIT);
        long sinceStart =
                System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println(stack.banner());
        health.forEach(
                (name, status) -> {
                    if (!status.up()) {
                        System.out.println("  " + name + " is not healthy: " + status.reason());
                    }
                });
        System.out.println(
                health.values().stream().allMatch(Health.Status::up)
                        ? "healthy " + sinceStart + " ms after start"
                        : "started with problems; see " + stack.settings().httpUrl() + "/health");
        if (demo) {
            Demo running = Demo.start(stack);
            System.out.println(
                    "demo: a "
                            + Demo.CARS
                            + "-car race is publishing on MQTT carCoordinates; watch it with"
                            + " `mosquitto_sub -p "
                            + stack.settings().mqttPort()
                            + " -t carStatus -t events` or `./millrace tail telemetry.events`");
            System.out.println(
                    "demo: a WIS2 node publishes an observation every 3 s on "
                            + DemoFeed.TOPIC
                            + "; watch the cache republish it with `mosquitto_sub -p "
                            + stack.settings().mqttPort()
                            + " -t 'cache/a/wis2/#'`");
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "demo-stop"));
        }
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** A stop that hangs must not keep the terminal: the JVM halts after the limit. */
    private static void stopWithin(long limitMs) {
        Thread watchdog =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(limitMs);
                                System.err.println(
                                        "millrace: stop took over "
                                                + limitMs
                                                + " ms; halting. What was still running:");
                                Thread.getAllStackTraces()
                                        .forEach(
                                                (thread, frames) -> {
                                                    if (thread != Thread.currentThread()
                                                            && frames.length > 0) {
                                                        System.err.println(
                                                                "  \""
                                                                        + thread.getName()
                                                                        + "\" "
                                                                        + thread.getState());
                                                        for (int i = 0;
                                                                i < Math.min(8, frames.length);
                                                                i++) {
                                                            System.err.println(
                                                                    "      at " + frames[i]);
                                                        }
                                                    }
                                                });
                                Runtime.getRuntime().halt(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "millrace-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
