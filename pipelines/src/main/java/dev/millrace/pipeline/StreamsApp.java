package dev.millrace.pipeline;

import dev.millrace.streams.StreamsRunner;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * A pipeline's Streams application as the stack and the commands handle it: its component name, its
 * group, the input a reset rewinds, the topics it writes (read from its topology, dead letters
 * included: what the CDK app grants it), and how to build a fresh instance of it.
 */
public record StreamsApp(
        String name,
        String applicationId,
        List<String> inputTopics,
        List<String> outputTopics,
        Supplier<StreamsRunner> factory) {

    /**
     * An application running {@code topology} with the runner's policy: exactly-once, dead letters
     * to {@code deadLetterTopic}, metrics in the context's registry.
     */
    static StreamsApp of(
            String name,
            String applicationId,
            List<String> inputTopics,
            Supplier<Topology> topology,
            String deadLetterTopic,
            PipelineContext context) {
        return new StreamsApp(
                name,
                applicationId,
                inputTopics,
                outputs(topology.get(), deadLetterTopic),
                () ->
                        new StreamsRunner(
                                applicationId,
                                topology.get(),
                                StreamsRunner.properties(
                                        applicationId,
                                        context.kafka(),
                                        context.streams(),
                                        deadLetterTopic),
                                context.registry()));
    }

    /** The topics a topology's sinks write, less any it also reads, and its dead-letter topic. */
    private static List<String> outputs(Topology topology, String deadLetterTopic) {
        Set<String> sources = new LinkedHashSet<>();
        Set<String> sinks = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source
                        && source.topicSet() != null) {
                    sources.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    sinks.add(sink.topic());
                }
            }
        }
        sinks.removeAll(sources);
        sinks.add(deadLetterTopic);
        return List.copyOf(sinks);
    }
}
