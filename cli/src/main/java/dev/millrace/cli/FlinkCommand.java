package dev.millrace.cli;

import dev.millrace.cli.flink.FlinkArgs;
import dev.millrace.cli.flink.FlinkHome;
import dev.millrace.cli.flink.FlinkProcess;
import dev.millrace.cli.flink.FlinkRest;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace flink}: the pipelines as Flink jobs, run here or submitted to a cluster. */
@Command(
        name = "flink",
        mixinStandardHelpOptions = true,
        description = "Run a pipeline's Flink job locally, or submit it to a Flink cluster.",
        subcommands = {FlinkCommand.Run.class, FlinkCommand.Submit.class})
public final class FlinkCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** {@code millrace flink run JOB}: a MiniCluster with its web UI, until Ctrl-C. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description =
                    "Run a job (telemetry, wis2 or audit) on a local Flink MiniCluster against the"
                            + " configured Kafka (the local stack by default), its web UI and REST"
                            + " API on --rest-port, until Ctrl-C.")
    static final class Run implements Callable<Integer> {
        @Mixin ConfigOptions options;

        @Parameters(index = "0", paramLabel = "JOB", description = "telemetry, wis2 or audit")
        String job;

        @Option(names = "--rest-port", defaultValue = "8081", description = "Web UI and REST port.")
        int restPort;

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            FlinkHome home = home();
            List<String> args =
                    new ArrayList<>(List.of("local", job, "--rest-port", String.valueOf(restPort)));
            args.addAll(FlinkArgs.of(config));
            Path log = config.get(CommonSettings.DATA_DIR).resolve("flink").resolve(job + ".log");
            try (FlinkProcess process = FlinkProcess.start(home, "1g", args, log)) {
                System.out.println(
                        "flink job "
                                + job
                                + " running; web UI "
                                + FlinkProcess.restUrl(restPort)
                                + ", log "
                                + log);
                int exit = process.waitFor();
                return exit == 0 ? 0 : 1;
            }
        }
    }

    /** {@code millrace flink submit JOB --rest-url URL}: upload the job jar and run it. */
    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description =
                    "Upload the job jar to a running Flink cluster through its REST API and run"
                            + " a job with the settings given here; prints the job id.")
    static final class Submit implements Callable<Integer> {
        @Mixin ConfigOptions options;

        @Parameters(index = "0", paramLabel = "JOB", description = "telemetry, wis2 or audit")
        String job;

        @Option(
                names = "--rest-url",
                required = true,
                description = "The cluster's REST API, e.g. http://flink-jobmanager:8081")
        String restUrl;

        @Option(names = "--jar", description = "The job jar (default: the one built here).")
        Path jar;

        @Option(
                names = "--restore",
                paramLabel = "PATH",
                description = "Start from this savepoint or retained checkpoint.")
        String restore;

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            Path jobJar = jar != null ? jar : home().jar();
            FlinkRest rest = new FlinkRest(restUrl);
            String jarId = rest.upload(jobJar);
            List<String> args = new ArrayList<>(List.of(job));
            args.addAll(FlinkArgs.of(config));
            String jobId = rest.run(jarId, args, restore);
            System.out.println(jobId);
            return 0;
        }
    }

    static FlinkHome home() {
        try {
            return FlinkHome.require();
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }
}
