package dev.millrace.pipeline;

import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import java.util.List;
import java.util.Map;

/**
 * One pipeline, described once: its topics, its Streams applications, its connectors with their
 * configs, its services with their HTTP routes, its buckets. The local stack, {@code millrace run},
 * {@code reset}, {@code status}, the benchmarks and the CDK app all read this description; adding a
 * pipeline means one implementation here plus its own code.
 */
public interface Pipeline {

    /** The pipeline's name: the prefix of its topics, the argument of {@code millrace reset}. */
    String name();

    /** Its topics, as the catalog declares them, dead-letter topic included. */
    List<TopicDefinition> topics();

    /** Its Streams applications; a reset rewinds each of them to the start of its input. */
    List<StreamsApp> streamsApps(PipelineContext context);

    /** Its Kafka Connect connectors by name, with their configs. */
    Map<String, Map<String, String>> connectors(PipelineContext context);

    /** Its long-running services. */
    List<ServiceSpec> services();

    /**
     * The MQTT topic filters it publishes its outputs on: only millrace may publish there, so no
     * client can pass for it.
     */
    default List<String> mqttOutputs() {
        return List.of();
    }

    /** The MQTT topic filters its feeds publish its inputs on, on the platform's broker. */
    default List<String> mqttInputs() {
        return List.of();
    }

    /** The S3 buckets it writes to. */
    List<String> buckets(Config config);
}
