package dev.millrace.pipeline;

import dev.millrace.services.Service;
import java.util.List;
import java.util.function.Function;

/**
 * A pipeline's long-running service as the stack, {@code millrace run} and the CDK app see it.
 *
 * @param name the component name ({@code millrace run <name>}, a {@code /health} entry)
 * @param description one line for the command's help and the README
 * @param groups the Kafka consumer groups (or Streams application ids) it reads with
 */
public record ServiceSpec(
        String name,
        String description,
        List<String> groups,
        Function<PipelineContext, Service> factory) {}
