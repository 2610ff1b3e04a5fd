package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import dev.millrace.services.http.Health;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The platform as the dashboard shows it: each component's health, each consumer group's lag and
 * each topic's rate over the last samples, and the engine of each pipeline.
 */
final class PipelineBoard {
    private final int samples;
    private final Map<String, String> engines;
    private final Map<String, String> componentsByGroup;
    private Map<String, Health.Status> health = Map.of();
    private long healthCheckedAt;
    private final Map<String, Series> lags = new TreeMap<>();
    private final Map<String, Series> rates = new TreeMap<>();
    private Map<TopicPartition, Long> lastEnds = Map.of();
    private long lastEndsAt;

    /**
     * @param samples how many samples each series keeps
     * @param engines pipeline to the engine that runs it
     * @param componentsByGroup consumer group to the component it belongs to
     */
    PipelineBoard(int samples, Map<String, String> engines, Map<String, String> componentsByGroup) {
        this.samples = samples;
        this.engines = engines;
        this.componentsByGroup = componentsByGroup;
    }

    synchronized void health(Map<String, Health.Status> statuses, long now) {
        health = statuses;
        healthCheckedAt = now;
    }

    /** Each group's lag now: the sum over its partitions. */
    synchronized void lags(Map<String, Map<TopicPartition, Long>> byGroup) {
        byGroup.forEach(
                (group, partitions) ->
                        lags.computeIfAbsent(group, g -> new Series(samples))
                                .add(
                                        partitions.values().stream()
                                                .mapToLong(Long::longValue)
                                                .sum()));
    }

    /** Each topic's end offsets now; the rates are the records added since the last call. */
    synchronized void ends(Map<TopicPartition, Long> ends, long now) {
        if (!lastEnds.isEmpty() && now > lastEndsAt) {
            Map<String, Long> added = new TreeMap<>();
            ends.forEach(
                    (tp, end) -> {
                        Long before = lastEnds.get(tp);
                        if (before != null) {
                            added.merge(tp.topic(), Math.max(0, end - before), Long::sum);
                        }
                    });
            double seconds = (now - lastEndsAt) / 1000.0;
            added.forEach(
                    (topic, records) ->
                            rates.computeIfAbsent(topic, t -> new Series(samples))
                                    .add(records / seconds));
        }
        lastEnds = ends;
        lastEndsAt = now;
    }

    /** Records a second added to {@code topic} at the last sample. */
    synchronized double rate(String topic) {
        Series series = rates.get(topic);
        return series == null ? 0 : series.last();
    }

    /** The registry's component of a group; a sink connector's group is Connect's. */
    private String component(String group) {
        String component = componentsByGroup.get(group);
        if (component != null) {
            return component;
        }
        return group.startsWith("connect-") ? "connect" : "";
    }

    synchronized ObjectNode toJson() {
        ObjectNode pipeline = Json.mapper().createObjectNode();
        pipeline.put("healthCheckedAt", healthCheckedAt);
        ArrayNode components = pipeline.putArray("health");
        health.forEach(
                (name, status) -> {
                    ObjectNode c = components.addObject();
                    c.put("component", name);
                    c.put("up", status.up());
                    if (!status.up()) {
                        c.put("reason", status.reason());
                    }
                });
        ArrayNode groups = pipeline.putArray("groups");
        lags.forEach(
                (group, series) -> {
                    ObjectNode g = groups.addObject();
                    g.put("group", group);
                    g.put("component", component(group));
                    g.put("lag", (long) series.last());
                    series.writeTo(g.putArray("series"));
                });
        ArrayNode topics = pipeline.putArray("topics");
        rates.forEach(
                (topic, series) -> {
                    ObjectNode t = topics.addObject();
                    t.put("topic", topic);
                    t.put("rate", series.last());
                    series.writeTo(t.putArray("series"));
                });
        ArrayNode engineRows = pipeline.putArray("engines");
        engines.forEach(
                (name, engine) ->
                        engineRows.addObject().put("pipeline", name).put("engine", engine));
        return pipeline;
    }
}
