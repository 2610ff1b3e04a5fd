package dev.millrace.cli;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.pipeline.admin.CatalogAdmin;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace topics}: the catalog next to what the cluster has. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "List the topic catalog and what exists on the cluster.")
final class TopicsCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
            names = "--create",
            description = "Create missing topics and align configs (idempotent).")
    boolean create;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        KafkaSettings kafka = KafkaSettings.from(config);
        try (Admin admin = Admins.connect(kafka, "millrace-topics")) {
            CatalogAdmin catalog = new CatalogAdmin(admin, kafka.replicationFactor());
            if (create) {
                CatalogAdmin.Outcome outcome = catalog.ensure(TopicCatalog.ALL);
                System.out.println(
                        "created " + outcome.created() + ", aligned " + outcome.aligned());
                outcome.warnings().forEach(w -> System.out.println("warning: " + w));
            }
            System.out.printf(
                    "%-28s %-10s %-15s %-10s %s%n",
                    "TOPIC", "PARTITIONS", "CLEANUP", "RETENTION", "STATE");
            for (CatalogAdmin.TopicState state : catalog.describe(TopicCatalog.ALL)) {
                TopicDefinition t = state.definition();
                String stateText =
                        !state.exists()
                                ? "missing"
                                : state.partitions() != t.partitions()
                                        ? "has " + state.partitions() + " partitions"
                                        : state.differingConfigs().isEmpty()
                                                ? "ok"
                                                : "configs differ " + state.differingConfigs();
                System.out.printf(
                        "%-28s %-10d %-15s %-10s %s%n",
                        t.name(),
                        t.partitions(),
                        t.cleanupPolicy().kafkaValue(),
                        t.retention().map(TopicsCommand::days).orElse("forever"),
                        stateText);
            }
        }
        return 0;
    }

    private static String days(Duration d) {
        return d.toDays() + "d";
    }
}
