package dev.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import dev.millrace.pipeline.PipelineContext;
import dev.millrace.services.http.HttpSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
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
            printLag(
                    admin,
                    ConsumerLags.components(PipelineContext.of(config, new SimpleMeterRegistry())));
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

    private static void printLag(Admin admin, Map<String, String> components) throws Exception {
        Map<String, Map<TopicPartition, Long>> lags =
                ConsumerLags.read(admin, Duration.ofSeconds(10));
        System.out.println();
        System.out.printf(
                "%-12s %-40s %-36s %8s%n", "COMPONENT", "CONSUMER GROUP", "TOPIC-PARTITION", "LAG");
        if (lags.isEmpty()) {
            System.out.println("(no consumer groups)");
        }
        lags.forEach(
                (group, byPartition) -> {
                    String component = components.getOrDefault(group, "-");
                    if (byPartition.isEmpty()) {
                        System.out.printf(
                                "%-12s %-40s %-36s %8s%n", component, group, "(no commits)", "-");
                    }
                    byPartition.forEach(
                            (tp, lag) ->
                                    System.out.printf(
                                            "%-12s %-40s %-36s %8d%n",
                                            component, group, tp.toString(), lag));
                });
    }
}
