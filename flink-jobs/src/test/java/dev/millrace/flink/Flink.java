package dev.millrace.flink;

import dev.millrace.config.FlinkSettings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the job tests share, and environments as the jobs run with. */
final class Flink {
    private Flink() {}

    static MiniClusterExtension cluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /** An environment configured as a job runs, Kryo refused: parallelism 2 to shuffle keys. */
    static StreamExecutionEnvironment env(JobConfig config) {
        Configuration conf = Jobs.pipeline(FlinkSettings.from(config.config()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }
}
