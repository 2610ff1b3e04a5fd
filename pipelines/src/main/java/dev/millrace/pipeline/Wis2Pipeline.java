package dev.millrace.pipeline;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigException;
import dev.millrace.config.S3Clients;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.sink.MqttSinkConnectorConfig;
import dev.millrace.connect.mqtt.source.MqttSourceConnector;
import dev.millrace.connect.mqtt.source.MqttSourceConnectorConfig;
import dev.millrace.services.wis2.CacheWorker;
import dev.millrace.streams.wis2.Wis2Topology;
import dev.millrace.wis2.Wis2Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wis2 pipeline, a WIS2 Global Cache: one MQTT source connector per upstream Global Broker into
 * {@code wis2.notifications} (keyed by data_id), the dedupe topology, the cache step (a service
 * that downloads, verifies and stores, then publishes cache notifications) and an MQTT sink that
 * republishes them on the platform's broker under {@code cache/a/wis2/...}.
 */
public final class Wis2Pipeline implements Pipeline {
    public static final String NAME = "wis2";
    public static final String CACHE_SERVICE = "wis2-cache";

    /** What WIS2 nodes publish their notifications on. */
    public static final String MQTT_ORIGIN = "origin/a/wis2/#";

    /** What Global Caches, millrace among them, publish their cache notifications on. */
    public static final String MQTT_CACHE = "cache/a/wis2/#";

    public static final String REPUBLISH_CONNECTOR = "wis2-republish";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicDefinition> topics() {
        return List.of(
                TopicCatalog.WIS2_NOTIFICATIONS,
                TopicCatalog.WIS2_FETCH_REQUESTS,
                TopicCatalog.WIS2_FETCH_RESULTS,
                TopicCatalog.WIS2_CACHE_NOTIFICATIONS,
                TopicCatalog.WIS2_DLQ,
                TopicCatalog.WIS2_DLQ_REDRIVES);
    }

    @Override
    public List<StreamsApp> streamsApps(PipelineContext context) {
        Wis2Settings settings = Wis2Settings.from(context.config());
        return List.of(
                StreamsApp.of(
                        NAME,
                        Wis2Topology.APPLICATION_ID,
                        List.of(
                                TopicCatalog.WIS2_NOTIFICATIONS.name(),
                                TopicCatalog.WIS2_FETCH_RESULTS.name()),
                        () ->
                                new Wis2Topology(settings.centreId(), settings.dedupeRetention())
                                        .build(),
                        TopicCatalog.WIS2_DLQ.name(),
                        context));
    }

    /**
     * A source per upstream broker ({@code wis2.upstream.urls}, or the platform's broker), each
     * with its own credentials from the URL, and the republishing sink on the platform's broker.
     */
    @Override
    public Map<String, Map<String, String>> connectors(PipelineContext context) {
        Wis2Settings settings = Wis2Settings.from(context.config());
        List<MqttEndpoint> upstream =
                settings.upstreamUrls().isEmpty()
                        ? List.of(context.mqtt())
                        : settings.upstreamUrls().stream()
                                .map(
                                        url ->
                                                MqttEndpoint.parse(
                                                        url, Wis2Settings.UPSTREAM_URLS.name()))
                                .toList();
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        for (int i = 0; i < upstream.size(); i++) {
            connectors.put("wis2-upstream-" + i, source(upstream.get(i), i));
        }
        connectors.put(
                REPUBLISH_CONNECTOR,
                ConnectorConfigs.mqttSink(
                        context.mqtt(),
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                        "millrace-wis2-republish",
                        TopicCatalog.WIS2_DLQ.name(),
                        MqttSinkConnectorConfig.TOPIC_HEADER,
                        Wis2Topology.TOPIC_HEADER));
        return connectors;
    }

    private static Map<String, String> source(MqttEndpoint broker, int index) {
        Map<String, String> config = ConnectorConfigs.of(MqttSourceConnector.class, 1);
        config.putAll(broker.connectorConfig());
        config.put(MqttConnectionConfig.CLIENT_ID, "millrace-wis2-upstream-" + index);
        config.put(MqttConnectionConfig.QOS, "1");
        String target = TopicCatalog.WIS2_NOTIFICATIONS.name();
        config.put(
                MqttSourceConnectorConfig.TOPICS,
                MQTT_ORIGIN + "=" + target + "," + MQTT_CACHE + "=" + target);
        config.put(
                MqttSourceConnectorConfig.RECORD_KEY, MqttSourceConnectorConfig.RECORD_KEY_PAYLOAD);
        config.put(MqttSourceConnectorConfig.RECORD_KEY_POINTER, "/properties/data_id");
        config.put(MqttSourceConnectorConfig.DLQ_TOPIC, TopicCatalog.WIS2_DLQ.name());
        return config;
    }

    /** Cache notifications: a Global Cache's own. */
    @Override
    public List<String> mqttOutputs() {
        return List.of(MQTT_CACHE);
    }

    /** Notifications of WIS2 nodes that publish on the platform's broker. */
    @Override
    public List<String> mqttInputs() {
        return List.of(MQTT_ORIGIN);
    }

    /**
     * The cache step: fetch requests from Kafka, objects in the cache bucket, served under {@code
     * /wis2/cache/} on the HTTP API. Its hrefs point at {@code wis2.cache.base-url}, by default the
     * HTTP API's own public URL.
     */
    @Override
    public List<ServiceSpec> services() {
        return List.of(
                new ServiceSpec(
                        CACHE_SERVICE,
                        "the Global Cache's cache step: download, verify, store, republish",
                        List.of(CacheWorker.GROUP_ID),
                        List.of(TopicCatalog.WIS2_FETCH_REQUESTS.name()),
                        List.of(
                                TopicCatalog.WIS2_FETCH_RESULTS.name(),
                                TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name()),
                        List.of(Wis2Settings.CACHE_BUCKET),
                        false,
                        context -> {
                            Wis2Settings settings = settings(context);
                            return new CacheWorker(
                                    context.kafka(),
                                    settings,
                                    S3Clients.create(context.s3()),
                                    context.registry());
                        }));
    }

    /** The wis2 settings with the cache's public URL defaulted to the HTTP API's. */
    static Wis2Settings settings(PipelineContext context) {
        Wis2Settings settings = Wis2Settings.from(context.config());
        if (!settings.cacheBaseUrl().isBlank()) {
            return settings;
        }
        if (context.publicUrl().isBlank()) {
            throw new ConfigException(
                    "key "
                            + Wis2Settings.CACHE_BASE_URL.name()
                            + " must be set: the public URL the cached objects are served under");
        }
        return settings.withDefaultCacheBaseUrl(context.publicUrl() + "/wis2/cache");
    }

    @Override
    public List<String> buckets(Config config) {
        return List.of(Wis2Settings.from(config).cacheBucket());
    }
}
