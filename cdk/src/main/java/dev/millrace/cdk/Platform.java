package dev.millrace.cdk;

import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.pipeline.MqttEndpoint;
import dev.millrace.pipeline.Pipeline;
import dev.millrace.pipeline.PipelineContext;
import dev.millrace.pipeline.Pipelines;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.wis2.Wis2Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline registry as one environment deploys it: millrace's config for AWS (Kafka through
 * IAM, S3 through the task role, the deployed buckets and MQTT broker, the environment file's
 * {@code millrace.*} settings) and what each pipeline runs. Every topic, group, connector and
 * service the templates name comes from here.
 */
public final class Platform {
    private final EnvironmentConfig env;
    private final Map<String, String> settings;
    private final Config config;
    private final PipelineContext context;

    /**
     * @param bootstrapServers the cluster's IAM bootstrap string (a deploy-time token)
     * @param buckets bucket names by the config key that names them
     * @param mqtt the platform's broker and the account millrace publishes with
     */
    public Platform(
            EnvironmentConfig env,
            String bootstrapServers,
            Map<String, String> buckets,
            String cacheBaseUrl,
            MqttEndpoint mqtt) {
        this.env = env;
        Map<String, String> s = new LinkedHashMap<>(env.millraceSettings());
        s.put(KafkaSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        s.put(KafkaSettings.AUTH.name(), KafkaSettings.Auth.IAM.name().toLowerCase());
        // The regional endpoint and the task's role, not the local stack's S3 server and keys.
        s.put(S3Settings.ENDPOINT.name(), "");
        s.put(S3Settings.REGION.name(), env.region());
        s.put(S3Settings.ACCESS_KEY.name(), "");
        s.put(S3Settings.SECRET_KEY.name(), "");
        s.put(S3Settings.PATH_STYLE.name(), "false");
        s.putAll(buckets);
        s.put(Wis2Settings.CACHE_BASE_URL.name(), cacheBaseUrl);
        this.settings = Map.copyOf(s);
        Config.Builder builder = Config.builder(Pipelines.KEYS);
        s.forEach((k, v) -> builder.set(k, v, "cdk/env/" + env.name() + ".properties"));
        this.config = builder.build();
        this.context =
                new PipelineContext(
                        config,
                        KafkaSettings.from(config),
                        StreamsSettings.from(config),
                        S3Settings.from(config),
                        mqtt,
                        "",
                        new SimpleMeterRegistry(),
                        Clock.systemUTC());
    }

    /** The pipelines this environment runs, in the registry's order. */
    public List<Pipeline> pipelines() {
        return Pipelines.ALL.stream().filter(p -> env.runs(p.name())).toList();
    }

    public PipelineContext context() {
        return context;
    }

    public Config config() {
        return config;
    }

    /** Every setting this environment gives its components, by key. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The settings as the container's {@code MILLRACE_*} environment. */
    public Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        settings.forEach((k, v) -> variables.put(ConfigKey.envName(k), v));
        return variables;
    }

    /** Topic names of a pipeline. */
    public static List<String> topicNames(Pipeline pipeline) {
        return pipeline.topics().stream().map(TopicDefinition::name).toList();
    }

    public EnvironmentConfig env() {
        return env;
    }
}
