package dev.millrace.pipeline;

import dev.millrace.streams.StreamsRunner;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.Topology;

/**
 * A pipeline's Streams application as the stack and the commands handle it: its component name, its
 * group, the input a reset rewinds, and how to build a fresh instance of it.
 */
public record StreamsApp(
        String name,
        String applicationId,
        List<String> inputTopics,
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
}
