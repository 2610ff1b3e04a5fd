package dev.millrace.flink;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import dev.millrace.config.ConfigException;
import dev.millrace.config.FlinkSettings;
import dev.millrace.config.KafkaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job jar's entry point.
 *
 * <pre>
 * [JOB] [--config FILE] [--set KEY=VALUE]...         in the current Flink environment: a cluster
 *                                                     the jar was submitted to, or Managed Flink
 * local JOB [--config FILE] [--set KEY=VALUE]... [--rest-port N]
 *                                                     on a MiniCluster in this JVM, with the web UI
 * </pre>
 *
 * Settings come from {@code --config} (the JSON property groups of Managed Flink), then {@code
 * --set}; with neither, on Managed Flink, from the application's runtime properties. The job is the
 * argument, or key {@code flink.job}.
 */
public final class FlinkMain {
    /** Where Managed Service for Apache Flink puts the application's runtime properties. */
    static final Path MANAGED_PROPERTIES = Path.of("/etc/flink/application_properties.json");

    private FlinkMain() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        boolean managed =
                arguments.configFile == null
                        && arguments.sets.isEmpty()
                        && Files.exists(MANAGED_PROPERTIES);
        JobConfig config = load(arguments, managed);
        FlinkSettings flink = FlinkSettings.from(config.config());
        String job = arguments.job != null ? arguments.job : flink.job();
        if (job.isBlank()) {
            throw new ConfigException(
                    "no job given: pass one of "
                            + Jobs.NAMES
                            + " or set "
                            + FlinkSettings.JOB.name());
        }
        Configuration conf = managed ? Jobs.pipeline(flink) : Jobs.selfManaged(flink);
        StreamExecutionEnvironment env;
        if (arguments.local) {
            conf.set(RestOptions.PORT, arguments.restPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        KafkaSettings kafka = KafkaSettings.from(config.config());
        Jobs.build(job, env, config, new KafkaIo(kafka, flink, Jobs.groupOf(job, flink)));
        env.execute("millrace-" + job);
    }

    static JobConfig load(Arguments arguments, boolean managed) throws IOException {
        Map<String, Properties> groups;
        if (managed) {
            groups = KinesisAnalyticsRuntime.getApplicationProperties();
        } else if (arguments.configFile != null) {
            if (!Files.isReadable(arguments.configFile)) {
                throw new ConfigException("config file not found: " + arguments.configFile);
            }
            groups =
                    KinesisAnalyticsRuntime.getApplicationProperties(
                            arguments.configFile.toString());
        } else {
            groups = Map.of();
        }
        JobConfig config = JobConfig.fromPropertyGroups(groups);
        for (String set : arguments.sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set takes KEY=VALUE, not '" + set + "'");
            }
            config = config.with(set.substring(0, eq), set.substring(eq + 1));
        }
        return config;
    }

    /** The command line. */
    static final class Arguments {
        boolean local;
        String job;
        Path configFile;
        final List<String> sets = new ArrayList<>();
        int restPort = 8081;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            List<String> rest = new ArrayList<>(List.of(args));
            if (!rest.isEmpty() && rest.get(0).equals("local")) {
                parsed.local = true;
                rest.remove(0);
            }
            for (int i = 0; i < rest.size(); i++) {
                String arg = rest.get(i);
                switch (arg) {
                    case "--config" -> parsed.configFile = Path.of(value(rest, ++i, arg));
                    case "--set" -> parsed.sets.add(value(rest, ++i, arg));
                    case "--rest-port" -> parsed.restPort = Integer.parseInt(value(rest, ++i, arg));
                    default -> {
                        if (arg.startsWith("--") || parsed.job != null) {
                            throw new ConfigException("unknown argument " + arg);
                        }
                        parsed.job = arg;
                    }
                }
            }
            return parsed;
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size()) {
                throw new ConfigException(option + " takes a value");
            }
            return args.get(index);
        }
    }
}
