package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.local.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka node killed with SIGKILL and started again on its log. Its start fences the dead
 * incarnation rather than waiting out that incarnation's session, so no group or transaction
 * coordinator is loaded at a stale leader epoch and none fails to load. What the crash left carries
 * on: a group's committed offsets are there, the transaction the crash left open is aborted once it
 * times out, and a read_committed reader gets past it to what was committed after.
 */
class LocalKafkaRestartIT {
    private static final String HOST = "127.0.0.1";
    private static final String TOPIC = "restart";

    @TempDir Path dir;

    @Test
    void aKilledNodeFencesItsDeadSelfAndCarriesOnWithItsGroupsAndTransactions() throws Exception {
        int port = Ports.free();
        String bootstrap = HOST + ":" + port;
        try (LocalKafkaCluster kafka =
                        LocalKafkaCluster.start(dir, HOST, List.of(port), List.of(Ports.free()));
                Admin admin =
                        Admin.create(
                                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = producer(bootstrap, null)) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "k" + i, "before-" + i)).get();
                }
            }
            try (KafkaConsumer<String, String> readers = consumer(bootstrap, "readers")) {
                readers.subscribe(List.of(TOPIC));
                assertThat(read(readers, 3)).hasSize(3);
                readers.commitSync();
            }
            KafkaProducer<String, String> open = producer(bootstrap, "left-open");
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(TOPIC, "k0", "never committed")).get();

            kafka.kill(1);
            open.close(Duration.ZERO);
            kafka.start(1);

            String output = Files.readString(dir.resolve("node-1").resolve("output.log"));
            assertThat(output)
                    .as("the restarted node's output")
                    .contains("fenced its earlier incarnation")
                    .doesNotContain("Failed to load metadata");
            Map<?, OffsetAndMetadata> committed =
                    Await.until(
                            "the group's offsets from before the crash",
                            Duration.ofSeconds(60),
                            () ->
                                    admin.listConsumerGroupOffsets("readers")
                                            .partitionsToOffsetAndMetadata()
                                            .get(),
                            offsets -> offsets.size() == 3);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                    .as("records the group had read")
                    .isEqualTo(3);
            try (KafkaProducer<String, String> after = producer(bootstrap, "after-restart")) {
                after.initTransactions();
                after.beginTransaction();
                after.send(new ProducerRecord<>(TOPIC, "k1", "after")).get();
                after.commitTransaction();
            }
            assertThat(
                            TopicReader.readSettled(bootstrap, TOPIC, Duration.ofSeconds(60))
                                    .stream()
                                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                                    .toList())
                    .as("what a read_committed reader gets")
                    .containsExactlyInAnyOrder("before-0", "before-1", "before-2", "after");
        }
    }

    /** The values of the first {@code count} records the consumer gets, within a minute. */
    private static List<String> read(KafkaConsumer<String, String> consumer, int count)
            throws Exception {
        List<String> values = new ArrayList<>();
        Await.until(
                count + " records",
                Duration.ofSeconds(60),
                () -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= count;
                },
                done -> done);
        return values;
    }

    private static KafkaProducer<String, String> producer(
            String bootstrap, String transactionalId) {
        Map<String, Object> config =
                new HashMap<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        StringSerializer.class));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            // The transaction the crash leaves open is aborted this long after it began.
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2000);
        }
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class));
    }
}
