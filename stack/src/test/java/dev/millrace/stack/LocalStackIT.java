package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.catalog.Buckets;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * The whole local stack on free ports: a record goes through Kafka, MQTT and S3 with real clients,
 * health and metrics answer, busy ports are refused, and a restart keeps the data.
 */
class LocalStackIT {
    @TempDir Path dataDir;

    private LocalStackSettings settingsOnFreePorts() {
        Map<String, String> flags = LocalStackSettings.freePorts();
        flags.put(CommonSettings.DATA_DIR.name(), dataDir.toString());
        Config config = Config.builder(LocalStackSettings.ALL_KEYS).flags(flags).build();
        return LocalStackSettings.from(config);
    }

    @Test
    void roundTripsThroughKafkaMqttAndS3AndKeepsDataAcrossARestart() throws Exception {
        LocalStackSettings settings = settingsOnFreePorts();
        String value = "{\"id\":\"" + UUID.randomUUID() + "\"}";

        try (LocalStack stack = LocalStack.start(settings)) {
            assertHealthyWithMetrics(settings);
            assertThat(stack.admin().listTopics().names().get(10, TimeUnit.SECONDS))
                    .containsAll(TopicCatalog.ALL.stream().map(t -> t.name()).toList());

            produce(settings, TopicCatalog.TELEMETRY_EVENTS.name(), "k", value);
            assertThat(consumeAll(settings, TopicCatalog.TELEMETRY_EVENTS.name(), 1))
                    .containsExactly(value);

            assertMqttRoundTrip(settings);
            assertS3RoundTrip(stack.s3());

            assertThatThrownBy(() -> LocalStack.start(settings))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("port " + settings.kafkaPort() + " is already in use")
                    .hasMessageContaining("local.kafka.port")
                    .hasMessageContaining("MILLRACE_HTTP_PORT");
        }

        try (LocalStack restarted = LocalStack.start(settings)) {
            assertThat(consumeAll(settings, TopicCatalog.TELEMETRY_EVENTS.name(), 1))
                    .containsExactly(value);
            assertThat(restarted.s3().listBuckets().buckets())
                    .extracting(Bucket::name)
                    .containsAll(Buckets.DEFAULTS);
        }
    }

    private static void assertHealthyWithMetrics(LocalStackSettings settings) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            health = get(http, settings.httpUrl() + "/health");
            if (health.statusCode() == 200) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        for (String component :
                List.of(
                        "kafka",
                        "topics",
                        "mqtt",
                        "s3",
                        "connect",
                        "connectors",
                        "mqtt-inputs",
                        "telemetry",
                        "http")) {
            assertThat(health.body())
                    .contains("\"" + component + "\" : {\n      \"status\" : \"UP\"");
        }
        String metrics = get(http, settings.httpUrl() + "/metrics").body();
        assertThat(metrics).containsPattern("(?m)^jvm_memory_used_bytes\\{");
        assertThat(metrics).containsPattern("(?m)^kafka_admin_client_");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void produce(LocalStackSettings s, String topic, String key, String value)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consumeAll(LocalStackSettings s, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // Anything beyond what was expected would show up within one more poll.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static void assertMqttRoundTrip(LocalStackSettings s) throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        try (MqttClient subscriber =
                        new MqttClient(s.mqttUrl(), "it-sub", new MemoryPersistence());
                MqttClient publisher =
                        new MqttClient(s.mqttUrl(), "it-pub", new MemoryPersistence())) {
            subscriber.connect(options);
            subscriber.subscribe(
                    "it/roundtrip",
                    1,
                    (topic, message) ->
                            received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            publisher.connect(options);
            publisher.publish(
                    "it/roundtrip",
                    "{\"via\":\"mqtt\"}".getBytes(StandardCharsets.UTF_8),
                    1,
                    false);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"via\":\"mqtt\"}");
            subscriber.disconnect();
            publisher.disconnect();
        }
    }

    private static void assertS3RoundTrip(S3Client s3) {
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        s3.putObject(
                b -> b.bucket(Buckets.AUDIT_ARCHIVE).key("2026/01/01/00/00/00/it"),
                RequestBody.fromBytes(bytes));
        byte[] back =
                s3.getObjectAsBytes(
                                b -> b.bucket(Buckets.AUDIT_ARCHIVE).key("2026/01/01/00/00/00/it"))
                        .asByteArray();
        assertThat(back).isEqualTo(bytes);
        assertThat(s3.listBuckets().buckets())
                .extracting(Bucket::name)
                .containsAll(Buckets.DEFAULTS);
    }
}
