package dev.millrace.pipeline;

import dev.millrace.config.ConfigKey;
import dev.millrace.services.Service;
import java.util.List;
import java.util.function.Function;

/**
 * A pipeline's long-running service as the stack, {@code millrace run} and the CDK app see it.
 *
 * @param name the component name ({@code millrace run <name>}, a {@code /health} entry)
 * @param description one line for the command's help and the README
 * @param groups the Kafka consumer groups (or Streams application ids) it reads with; each is also
 *     the prefix of its transactional ids
 * @param inputTopics the topics it reads
 * @param outputTopics the topics it writes
 * @param buckets the settings naming the buckets it reads and writes
 * @param publicHttp whether its HTTP API serves clients outside the platform (behind a load
 *     balancer in AWS), not only {@code /health} and {@code /metrics}
 */
public record ServiceSpec(
        String name,
        String description,
        List<String> groups,
        List<String> inputTopics,
        List<String> outputTopics,
        List<ConfigKey<String>> buckets,
        boolean publicHttp,
        Function<PipelineContext, Service> factory) {}
