package dev.millrace.pipeline;

import dev.millrace.services.Service;
import java.util.function.Function;

/**
 * A pipeline's long-running service as the stack, {@code millrace run} and the CDK app see it.
 *
 * @param name the component name ({@code millrace run <name>}, a {@code /health} entry)
 * @param description one line for the command's help and the README
 */
public record ServiceSpec(
        String name, String description, Function<PipelineContext, Service> factory) {}
