package dev.millrace.cli;

import dev.millrace.cli.flink.FlinkArgs;
import dev.millrace.cli.flink.FlinkRest;
import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.files.Directories;
import dev.millrace.pipeline.Pipeline;
import dev.millrace.pipeline.PipelineContext;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.pipeline.StreamsApp;
import dev.millrace.services.http.HttpSettings;
import dev.millrace.streams.StreamsReset;
import dev.millrace.streams.StreamsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace reset <pipeline>}: recompute a pipeline from the start of its input. A running
 * local stack does it in place (pause, rewind, wipe state, resume); otherwise this does what the
 * Kafka Streams reset tool does against the configured cluster, and refuses while the application
 * has live members.
 */
@Command(
        name = "reset",
        mixinStandardHelpOptions = true,
        description = {
            "Rewind a pipeline's Streams application to the start of its input and wipe its state,"
                    + " so that its outputs are produced again.",
            "Against a running local stack the stack does it in place; otherwise it resets the"
                    + " application on the configured Kafka, which must have no running instance."
        })
final class ResetCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(
            index = "0",
            paramLabel = "PIPELINE",
            description = "The pipeline: telemetry, wis2 or audit.")
    String pipeline;

    @Option(
            names = "--engine",
            defaultValue = "streams",
            description =
                    "streams (default) or flink. With flink: the running local stack's Flink job,"
                            + " or with --rest-url a Flink cluster's: the job is cancelled and"
                            + " submitted again with empty state, from the earliest offsets.")
    String engine;

    @Option(
            names = "--rest-url",
            description = "The Flink cluster's REST API, for --engine flink without a local stack.")
    String restUrl;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        if (!engine.equals("streams") && !engine.equals("flink")) {
            throw new CommandFailedException("--engine must be streams or flink, not " + engine);
        }
        if (engine.equals("flink") && restUrl != null) {
            return resetOnCluster(config);
        }
        Map<String, StreamsApp> apps = apps(config);
        StreamsApp app = apps.get(pipeline);
        if (app == null) {
            throw new CommandFailedException(
                    "no pipeline '" + pipeline + "' to reset; pipelines: " + apps.keySet());
        }
        HttpSettings local = HttpSettings.from(config);
        String stackAnswer = askStack(local, pipeline, engine);
        if (stackAnswer != null) {
            System.out.println("reset by the local stack at " + local.url() + ":");
            System.out.println(stackAnswer);
            return 0;
        }
        if (engine.equals("flink")) {
            throw new CommandFailedException(
                    "no local stack answers at "
                            + local.url()
                            + ": give the Flink cluster with --rest-url");
        }
        KafkaSettings kafka = KafkaSettings.from(config);
        try (Admin admin = Admin.create(Admins.properties(kafka, "millrace-reset"))) {
            StreamsReset.Outcome outcome;
            try {
                outcome =
                        StreamsReset.reset(
                                admin,
                                app.applicationId(),
                                app.inputTopics(),
                                Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                throw new CommandFailedException(e.getMessage());
            }
            Path state = StreamsSettings.from(config).stateDir().resolve(app.applicationId());
            Directories.delete(state);
            System.out.printf(
                    "%s reset on %s: offsets rewound to %s, internal topics deleted %s, local"
                            + " state %s wiped; start it again to recompute%n",
                    app.applicationId(),
                    kafka.bootstrapServers(),
                    outcome.rewoundTo(),
                    outcome.deletedTopics(),
                    state);
        }
        return 0;
    }

    /**
     * Cancels the job {@code millrace-<pipeline>} on the cluster and submits it again with the
     * settings given here, without state.
     */
    private int resetOnCluster(Config config) throws Exception {
        FlinkRest rest = new FlinkRest(restUrl);
        List<String> running = rest.runningJobs("millrace-" + pipeline);
        for (String jobId : running) {
            rest.cancel(jobId);
            rest.await(jobId, "CANCELED", Duration.ofMinutes(2));
        }
        String jarId = rest.upload(FlinkCommand.home().jar());
        List<String> args = new ArrayList<>(List.of(pipeline));
        args.addAll(FlinkArgs.of(config));
        String jobId = rest.run(jarId, args, null);
        System.out.println(
                "cancelled "
                        + running
                        + "; "
                        + pipeline
                        + " submitted again as "
                        + jobId
                        + " with empty state");
        return 0;
    }

    /** Each pipeline's Streams application, by pipeline name. */
    static Map<String, StreamsApp> apps(Config config) {
        PipelineContext context = PipelineContext.of(config, new SimpleMeterRegistry());
        Map<String, StreamsApp> apps = new LinkedHashMap<>();
        for (Pipeline pipeline : Pipelines.ALL) {
            pipeline.streamsApps(context).forEach(app -> apps.put(pipeline.name(), app));
        }
        return apps;
    }

    /** The stack's answer, or null when no stack listens on the configured HTTP port. */
    private static String askStack(HttpSettings local, String pipeline, String engine)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    local.url()
                                                            + "/pipelines/"
                                                            + pipeline
                                                            + "/reset?engine="
                                                            + engine))
                                    .timeout(Duration.ofSeconds(120))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new CommandFailedException(
                    "the local stack refused the reset ("
                            + response.statusCode()
                            + "): "
                            + response.body());
        }
        return response.body();
    }
}
