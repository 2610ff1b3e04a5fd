package dev.millrace.cli.pipeline;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.ConfigException;
import dev.millrace.config.KafkaSettings;
import dev.millrace.streams.StreamsRunner;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.streams.wis2.Wis2Topology;
import dev.millrace.wis2.Wis2Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the wis2 pipeline is put together: one MQTT source connector per upstream Global Broker into
 * {@code wis2.notifications} (keyed by data_id), the dedupe topology, the cache step ({@code
 * CacheWorker}) and an MQTT sink that republishes cache notifications on the local broker under
 * {@code cache/a/wis2/...}.
 */
public final class Wis2Pipeline {
    public static final String NAME = "wis2";

    private Wis2Pipeline() {}

    public static StreamsApp app(
            KafkaSettings kafka,
            StreamsSettings streams,
            Wis2Settings settings,
            MeterRegistry registry) {
        return new StreamsApp(
                NAME,
                Wis2Topology.APPLICATION_ID,
                List.of(
                        TopicCatalog.WIS2_NOTIFICATIONS.name(),
                        TopicCatalog.WIS2_FETCH_RESULTS.name()),
                () ->
                        new StreamsRunner(
                                Wis2Topology.APPLICATION_ID,
                                new Wis2Topology(settings.centreId(), settings.dedupeRetention())
                                        .build(),
                                StreamsRunner.properties(
                                        Wis2Topology.APPLICATION_ID,
                                        kafka,
                                        streams,
                                        TopicCatalog.WIS2_DLQ.name()),
                                registry));
    }

    /**
     * The pipeline's connectors by name: a source per upstream broker ({@code wis2.upstream.urls},
     * or the local broker), each with its own credentials from the URL, and the republishing sink
     * on the local broker.
     */
    public static Map<String, Map<String, String>> connectors(
            Wis2Settings settings, String localMqttUrl) {
        List<String> upstream =
                settings.upstreamUrls().isEmpty() ? List.of(localMqttUrl) : settings.upstreamUrls();
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        for (int i = 0; i < upstream.size(); i++) {
            connectors.put("wis2-upstream-" + i, source(upstream.get(i), i));
        }
        Map<String, String> sink =
                MqttSinks.config(
                        localMqttUrl,
                        TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                        "millrace-wis2-republish",
                        TopicCatalog.WIS2_DLQ.name(),
                        "mqtt.topic.header",
                        Wis2Topology.TOPIC_HEADER);
        connectors.put("wis2-republish", sink);
        return connectors;
    }

    private static Map<String, String> source(String url, int index) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "bad value for key " + Wis2Settings.UPSTREAM_URLS.name() + ": " + url);
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new ConfigException(
                    "bad value for key "
                            + Wis2Settings.UPSTREAM_URLS.name()
                            + ": '"
                            + url
                            + "' is not scheme://host:port");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "dev.millrace.connect.mqtt.source.MqttSourceConnector");
        config.put("tasks.max", "1");
        config.put(
                "mqtt.broker.urls", uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
        if (uri.getRawUserInfo() != null) {
            String[] credentials = uri.getRawUserInfo().split(":", 2);
            config.put("mqtt.username", URLDecoder.decode(credentials[0], StandardCharsets.UTF_8));
            if (credentials.length > 1) {
                config.put(
                        "mqtt.password", URLDecoder.decode(credentials[1], StandardCharsets.UTF_8));
            }
        }
        config.put("mqtt.client.id", "millrace-wis2-upstream-" + index);
        config.put("mqtt.qos", "1");
        String target = TopicCatalog.WIS2_NOTIFICATIONS.name();
        config.put("mqtt.topics", "origin/a/wis2/#=" + target + ",cache/a/wis2/#=" + target);
        config.put("record.key", "payload");
        config.put("record.key.pointer", "/properties/data_id");
        config.put("dlq.topic", TopicCatalog.WIS2_DLQ.name());
        return config;
    }
}
