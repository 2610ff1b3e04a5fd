package dev.millrace.connect.mqtt.internal;

import dev.millrace.connect.internal.KeyedConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * Which Kafka topic a message goes to, from the MQTT topic it arrived on. Entries are {@code <topic
 * filter>=<kafka topic>}; the first whose filter matches wins.
 */
public final class TopicMappings {

    /** One entry: MQTT topic filter and the Kafka topic its messages go to. */
    public record Mapping(String filter, String kafkaTopic) {}

    private final List<Mapping> mappings;

    private TopicMappings(List<Mapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    /**
     * @param key the config key the entries come from, named in errors
     * @param defaultTopic the Kafka topic of entries without one, or null
     */
    public static TopicMappings parse(String key, List<String> entries, String defaultTopic) {
        List<Mapping> mappings = new ArrayList<>(entries.size());
        for (String entry : entries) {
            Mapping mapping = split(entry);
            String target = mapping.kafkaTopic() == null ? defaultTopic : mapping.kafkaTopic();
            if (target == null) {
                throw new KeyedConfigException(
                        key,
                        entry,
                        "the entry names no Kafka topic ('<filter>=<kafka topic>') and kafka.topic"
                                + " is not set");
            }
            mappings.add(new Mapping(mapping.filter(), target));
        }
        return new TopicMappings(mappings);
    }

    public List<Mapping> mappings() {
        return mappings;
    }

    public String[] filters() {
        return mappings.stream().map(Mapping::filter).toArray(String[]::new);
    }

    /** The Kafka topic for a message on {@code mqttTopic}, if any entry's filter matches it. */
    public Optional<String> kafkaTopicFor(String mqttTopic) {
        for (Mapping mapping : mappings) {
            if (MqttTopic.isMatched(mapping.filter(), mqttTopic)) {
                return Optional.of(mapping.kafkaTopic());
            }
        }
        return Optional.empty();
    }

    /** Checks the shape of each entry; whether every entry has a target needs kafka.topic too. */
    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                @SuppressWarnings("unchecked")
                List<String> entries = (List<String>) value;
                if (entries == null || entries.isEmpty()) {
                    throw new ConfigException(name, value, "at least one topic filter is required");
                }
                for (String entry : entries) {
                    Mapping mapping = split(entry);
                    try {
                        MqttTopic.validate(mapping.filter(), true);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(
                                name,
                                value,
                                "'" + mapping.filter() + "' is not an MQTT topic filter");
                    }
                    if (mapping.kafkaTopic() != null && mapping.kafkaTopic().isEmpty()) {
                        throw new ConfigException(
                                name, value, "entry '" + entry + "' has an empty Kafka topic");
                    }
                }
            }

            @Override
            public String toString() {
                return "<mqtt topic filter>=<kafka topic>, comma-separated";
            }
        };
    }

    /** Splits at the last '=': Kafka topic names cannot contain one, MQTT topics can. */
    private static Mapping split(String entry) {
        String trimmed = entry.trim();
        int eq = trimmed.lastIndexOf('=');
        if (eq < 0) {
            return new Mapping(trimmed, null);
        }
        return new Mapping(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
    }
}
