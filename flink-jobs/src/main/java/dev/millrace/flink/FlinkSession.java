package dev.millrace.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink session cluster in one JVM: a JobManager and a TaskManager with {@code SLOTS} slots (a
 * MiniCluster), its web UI and the REST API jobs are submitted to on {@code REST_PORT}, until the
 * process is stopped.
 *
 * <pre>FlinkSession REST_PORT SLOTS [flink.key=value]...</pre>
 *
 * Run from Flink's runtime and this module's thin jar only, never with the job jar on its
 * classpath: submitted jobs bring their Kafka classes in their own class loader.
 */
public final class FlinkSession {
    private FlinkSession() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: " + args[i]);
            }
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Configuration conf = Configuration.fromMap(settings);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, Integer.parseInt(args[0]));
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(Integer.parseInt(args[1]))
                                .build());
        cluster.start();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        cluster.close();
                                    } catch (Exception e) {
                                        // Stopping anyway.
                                    }
                                },
                                "flink-session-stop"));
        System.out.println("flink session REST " + cluster.getRestAddress().get());
        Thread.currentThread().join();
    }
}
