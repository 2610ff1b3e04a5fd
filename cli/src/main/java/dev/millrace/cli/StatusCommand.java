package dev.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import dev.millrace.pipeline.PipelineContext;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.services.http.HttpSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace status}: each component's health (from a running stack's {@code /health}) and
 * each consumer group's lag (from any cluster).
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show each component's health and each consumer group's lag.")
final class StatusCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The HTTP API of a running stack (default: the local one).")
    String url;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        HttpSettings local = HttpSettings.from(config);
        String healthUrl = (url != null ? url : local.url()) + "/health";
        boolean healthy = printHealth(healthUrl);
        KafkaSettings kafka = KafkaSettings.from(config);
        try (Admin admin = Admins.connect(kafka, "millrace-status")) {
            printLag(admin, components(config));
        }
        return healthy ? 0 : 1;
    }

    private static boolean printHealth(String healthUrl) {
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(healthUrl))
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.mapper().readTree(response.body());
            System.out.println("COMPONENT     STATUS");
            body.path("components")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    System.out.printf(
                                            "%-13s %s%s%n",
                                            e.getKey(),
                                            e.getValue().path("status").asText(),
                                            e.getValue().has("reason")
                                                    ? "  " + e.getValue().path("reason").asText()
                                                    : ""));
            return "UP".equals(body.path("status").asText());
        } catch (Exception e) {
            System.out.println("no millrace stack answers at " + healthUrl);
            return true;
        }
    }

    /** The component of each group the registry knows. */
    private static Map<String, String> components(Config config) {
        Map<String, String> byGroup = new java.util.HashMap<>();
        PipelineContext context = PipelineContext.of(config, new SimpleMeterRegistry());
        Pipelines.streamsApps(context).forEach(a -> byGroup.put(a.applicationId(), a.name()));
        Pipelines.services().forEach(s -> s.groups().forEach(g -> byGroup.put(g, s.name())));
        return byGroup;
    }

    private static void printLag(Admin admin, Map<String, String> components) throws Exception {
        var groups = admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
        System.out.println();
        System.out.printf(
                "%-12s %-40s %-36s %8s%n", "COMPONENT", "CONSUMER GROUP", "TOPIC-PARTITION", "LAG");
        if (groups.isEmpty()) {
            System.out.println("(no consumer groups)");
        }
        for (ConsumerGroupListing group :
                groups.stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(
                                    latest,
                                    new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                            IsolationLevel.READ_COMMITTED))
                            .all()
                            .get(10, TimeUnit.SECONDS);
            String component = components.getOrDefault(group.groupId(), "-");
            if (committed.isEmpty()) {
                System.out.printf(
                        "%-12s %-40s %-36s %8s%n", component, group.groupId(), "(no commits)", "-");
            }
            committed.entrySet().stream()
                    .sorted((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()))
                    .forEach(
                            e -> {
                                long end = ends.get(e.getKey()).offset();
                                long lag =
                                        e.getValue() == null
                                                ? end
                                                : Math.max(0, end - e.getValue().offset());
                                System.out.printf(
                                        "%-12s %-40s %-36s %8d%n",
                                        component, group.groupId(), e.getKey().toString(), lag);
                            });
        }
    }
}
