package dev.millrace.streams;

import dev.millrace.catalog.TopicDefinition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic as a value: its name and the serdes of its keys and values. Production topologies and
 * their tests use the same specs, so a test cannot read a topic with other serdes than the topology
 * writes it with.
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public static <K, V> TopicSpec<K, V> of(
            TopicDefinition topic, Serde<K> keySerde, Serde<V> valueSerde) {
        return new TopicSpec<>(topic.name(), keySerde, valueSerde);
    }

    /** How a topology reads this topic; {@code name} names the source node. */
    public Consumed<K, V> consumed(String processorName) {
        return Consumed.with(keySerde, valueSerde).withName(processorName);
    }

    /** How a topology writes this topic; {@code name} names the sink node. */
    public Produced<K, V> produced(String processorName) {
        return Produced.with(keySerde, valueSerde).withName(processorName);
    }
}
