package dev.millrace.catalog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A topic as millrace needs it: name, partitions, cleanup policy and retention. Topic-level configs
 * beyond those go in {@code extraConfigs} (Kafka topic config names).
 *
 * @param retention how long records are kept; empty keeps them forever
 */
public record TopicDefinition(
        String name,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Optional<Duration> retention,
        String description,
        Map<String, String> extraConfigs) {

    /** Kafka's {@code cleanup.policy}. */
    public enum CleanupPolicy {
        DELETE("delete"),
        COMPACT("compact"),
        COMPACT_DELETE("compact,delete");

        private final String kafkaValue;

        CleanupPolicy(String kafkaValue) {
            this.kafkaValue = kafkaValue;
        }

        public String kafkaValue() {
            return kafkaValue;
        }
    }

    public TopicDefinition {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1");
        }
        extraConfigs = Map.copyOf(extraConfigs);
    }

    /** The pipeline a topic belongs to: the part of its name before the first dot. */
    public String pipeline() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The topic-level configs to create the topic with or to align an existing one to. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.kafkaValue());
        if (cleanupPolicy != CleanupPolicy.COMPACT) {
            configs.put(
                    "retention.ms", String.valueOf(retention.map(Duration::toMillis).orElse(-1L)));
        }
        configs.putAll(extraConfigs);
        return configs;
    }
}
