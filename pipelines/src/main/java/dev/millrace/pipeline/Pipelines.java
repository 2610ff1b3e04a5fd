package dev.millrace.pipeline;

import dev.millrace.audit.AuditSettings;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.ConfigKeys;
import dev.millrace.config.FlinkSettings;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.config.TlsSettings;
import dev.millrace.services.http.HttpSettings;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.telemetry.TelemetrySettings;
import dev.millrace.wis2.Wis2Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The registry: every pipeline millrace runs, and every key their components read. */
public final class Pipelines {
    public static final List<Pipeline> ALL =
            List.of(new TelemetryPipeline(), new Wis2Pipeline(), new AuditPipeline());

    /** Every key of every component that runs the pipelines, wherever it runs. */
    public static final ConfigKeys KEYS =
            ConfigKeys.union(
                    CommonSettings.KEYS,
                    KafkaSettings.KEYS,
                    StreamsSettings.KEYS,
                    S3Settings.KEYS,
                    TlsSettings.KEYS,
                    HttpSettings.KEYS,
                    TelemetrySettings.KEYS,
                    Wis2Settings.KEYS,
                    AuditSettings.KEYS,
                    FlinkSettings.KEYS);

    private Pipelines() {}

    public static Optional<Pipeline> find(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(Pipeline::name).toList();
    }

    /** Every Streams application of every pipeline. */
    public static List<StreamsApp> streamsApps(PipelineContext context) {
        List<StreamsApp> apps = new ArrayList<>();
        ALL.forEach(p -> apps.addAll(p.streamsApps(context)));
        return apps;
    }

    /** The MQTT topic filters only millrace publishes on. */
    public static List<String> mqttOutputs() {
        return ALL.stream().flatMap(p -> p.mqttOutputs().stream()).toList();
    }

    /** The MQTT topic filters feeds publish on. */
    public static List<String> mqttInputs() {
        return ALL.stream().flatMap(p -> p.mqttInputs().stream()).toList();
    }

    /** Every service of every pipeline. */
    public static List<ServiceSpec> services() {
        List<ServiceSpec> services = new ArrayList<>();
        ALL.forEach(p -> services.addAll(p.services()));
        return services;
    }
}
