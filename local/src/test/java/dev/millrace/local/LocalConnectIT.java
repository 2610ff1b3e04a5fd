package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.local.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local Connect worker on a local broker: connectors deployed on a new worker all start;
 * deploying a connector whose config the worker already holds writes nothing to the config topic (a
 * write would restart the connector); a changed config is written.
 */
class LocalConnectIT {
    private static final String HOST = "127.0.0.1";
    private static final TopicPartition CONFIGS =
            new TopicPartition(TopicCatalog.CONNECT_CONFIGS.name(), 0);

    @TempDir Path dir;

    @Test
    void deployingStartsNewConnectorsAndLeavesUnchangedOnesAlone() throws Exception {
        int kafkaPort = Ports.free();
        String bootstrap = HOST + ":" + kafkaPort;
        try (LocalKafka kafka = LocalKafka.start(dir, HOST, kafkaPort, Ports.free());
                Admin admin =
                        Admin.create(
                                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                LocalConnect connect =
                        LocalConnect.start(KafkaSettings.local(bootstrap), HOST, Ports.free())) {
            Map<String, Map<String, String>> idle = idle("as deployed");
            connect.deploy(idle);
            Await.until(
                    "the connectors and their tasks running",
                    Duration.ofSeconds(60),
                    connect::connectorsProblem,
                    problem -> problem == null);
            long written = endOffset(admin);

            connect.deploy(idle);
            assertThat(endOffset(admin)).as("records in the config topic").isEqualTo(written);

            connect.deploy(idle("changed"));
            assertThat(endOffset(admin)).as("records in the config topic").isGreaterThan(written);
        }
    }

    /**
     * Two idle connectors' configs, {@code note} one of their settings. Two, because a worker that
     * has just created the first refuses a read about the second until it has rebalanced.
     */
    private static Map<String, Map<String, String>> idle(String note) {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        for (String name : List.of("idle-1", "idle-2")) {
            connectors.put(
                    name,
                    Map.of(
                            "connector.class",
                            IdleSourceConnector.class.getName(),
                            "tasks.max",
                            "1",
                            "note",
                            note));
        }
        return connectors;
    }

    private static long endOffset(Admin admin) throws Exception {
        return admin.listOffsets(Map.of(CONFIGS, OffsetSpec.latest()))
                .partitionResult(CONFIGS)
                .get()
                .offset();
    }
}
