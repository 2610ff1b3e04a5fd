package dev.millrace.cli;

import dev.millrace.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Admin clients for commands, which should answer quickly or say the cluster is unreachable. */
public final class Admins {
    private Admins() {}

    /** Admin properties with short timeouts, so a missing cluster is reported in seconds. */
    public static Map<String, Object> properties(KafkaSettings kafka, String clientId) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return props;
    }

    /**
     * An admin client that has reached the cluster.
     *
     * @throws CommandFailedException when no broker answers within a few seconds
     */
    public static Admin connect(KafkaSettings kafka, String clientId) {
        Admin admin = Admin.create(properties(kafka, clientId));
        try {
            admin.describeCluster().clusterId().get(8, TimeUnit.SECONDS);
            return admin;
        } catch (Exception e) {
            admin.close();
            throw new CommandFailedException(
                    "Kafka at "
                            + kafka.bootstrapServers()
                            + " is not reachable (is `millrace up` running? set"
                            + " kafka.bootstrap-servers to reach another cluster)");
        }
    }
}
