package dev.millrace.pipeline;

import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.streams.StreamsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What a pipeline's parts are built from wherever they run: the settings, the Kafka and S3 they
 * use, the MQTT broker the pipelines publish to and read their own feeds from, and where the HTTP
 * API is reachable from outside.
 *
 * @param mqtt the platform's own MQTT broker (the local one, or the deployed one) and the account
 *     millrace publishes with
 * @param publicUrl the HTTP API's public base URL, or empty where none is known (a lone {@code run}
 *     of a service, which must then be told its URLs by its keys)
 */
public record PipelineContext(
        Config config,
        KafkaSettings kafka,
        StreamsSettings streams,
        S3Settings s3,
        MqttEndpoint mqtt,
        String publicUrl,
        MeterRegistry registry,
        Clock clock) {

    /** The context of a component run alone against the configured Kafka and S3. */
    public static PipelineContext of(Config config, MeterRegistry registry) {
        return new PipelineContext(
                config,
                KafkaSettings.from(config),
                StreamsSettings.from(config),
                S3Settings.from(config),
                MqttEndpoint.anonymous(""),
                "",
                registry,
                Clock.systemUTC());
    }
}
