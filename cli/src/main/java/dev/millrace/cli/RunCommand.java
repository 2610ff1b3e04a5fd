package dev.millrace.cli;

import com.sun.net.httpserver.HttpHandler;
import dev.millrace.config.Config;
import dev.millrace.config.TlsSettings;
import dev.millrace.pipeline.PipelineContext;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.pipeline.ServiceSpec;
import dev.millrace.pipeline.StreamsApp;
import dev.millrace.services.Service;
import dev.millrace.services.http.Health;
import dev.millrace.services.http.HttpApi;
import dev.millrace.services.http.HttpSettings;
import dev.millrace.streams.StreamsRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace run <component>}: one component of the registry against any Kafka (the {@code
 * kafka.*} keys; MSK with {@code kafka.auth=iam}), with {@code /health} and {@code /metrics} on the
 * HTTP port, until Ctrl-C or SIGTERM.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run one component against the configured Kafka until stopped, with /health and"
                + " /metrics on http.host:http.port: a pipeline's Streams application (telemetry,"
                + " wis2, audit), the Global Cache's cache step (wis2-cache, which also serves the"
                + " cached objects) or the audit HTTP API with its metadata store (ingest)."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(
            index = "0",
            paramLabel = "COMPONENT",
            description = "The component: telemetry, wis2, audit, wis2-cache or ingest.")
    String component;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineContext context = PipelineContext.of(config, registry);
        Health health = new Health();
        // The component first: a bad setting fails before any port is taken.
        AutoCloseable part;
        Start start;
        Optional<StreamsApp> app =
                Pipelines.streamsApps(context).stream()
                        .filter(a -> a.name().equals(component))
                        .findFirst();
        Optional<ServiceSpec> spec =
                Pipelines.services().stream().filter(s -> s.name().equals(component)).findFirst();
        Map<String, HttpHandler> routes = Map.of();
        if (app.isPresent()) {
            StreamsRunner runner = app.get().factory().get();
            health.register(component, runner::problem);
            part = runner;
            start = runner::start;
        } else if (spec.isPresent()) {
            Service service = spec.get().factory().apply(context);
            health.register(component, service::problem);
            routes = service.routes();
            part = service;
            start = service::start;
        } else {
            throw new CommandFailedException(
                    "no component '" + component + "'; components: " + components(context));
        }
        HttpSettings httpSettings = HttpSettings.from(config);
        SSLContext tls =
                httpSettings.tlsPort() == 0 ? null : TlsSettings.from(config).serverContext();
        HttpApi http = new HttpApi(httpSettings, tls, health, registry);
        routes.forEach(http::route);
        return runUntilStopped(
                () -> {
                    start.run();
                    http.start();
                },
                http,
                part,
                registry::close);
    }

    private static List<String> components(PipelineContext context) {
        List<String> names = new ArrayList<>();
        Pipelines.streamsApps(context).forEach(a -> names.add(a.name()));
        Pipelines.services().forEach(s -> names.add(s.name()));
        return names;
    }

    private interface Start {
        void run() throws Exception;
    }

    /**
     * Starts a component's parts, then waits for Ctrl-C or SIGTERM, on which the parts are closed
     * in the order given.
     */
    private static int runUntilStopped(Start start, AutoCloseable... closeInOrder)
            throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    for (AutoCloseable part : closeInOrder) {
                                        try {
                                            part.close();
                                        } catch (Exception e) {
                                            System.err.println(
                                                    "millrace: stopping failed: " + e.getMessage());
                                        }
                                    }
                                    stopped.countDown();
                                },
                                "millrace-stop"));
        start.run();
        stopped.await();
        return 0;
    }
}
