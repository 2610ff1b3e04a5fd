package dev.millrace.pipeline;

import dev.millrace.streams.StreamsRunner;
import java.util.List;
import java.util.function.Supplier;

/**
 * A pipeline's Streams application as the stack and the commands handle it: its component name, its
 * group, the input a reset rewinds, and how to build a fresh instance of it.
 */
public record StreamsApp(
        String name,
        String applicationId,
        List<String> inputTopics,
        Supplier<StreamsRunner> factory) {}
