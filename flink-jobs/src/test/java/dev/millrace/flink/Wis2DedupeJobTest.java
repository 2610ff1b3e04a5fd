package dev.millrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.deadletter.DeadLetterHeaders;
import dev.millrace.wis2.WnmBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dedupe job on a MiniCluster: one fetch per (data_id, pubtime) whatever the copies, cache:
 * false republished at once, recommended data ignored, what is not a notification dead-lettered.
 */
class Wis2DedupeJobTest {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.cluster();

    private static final Wis2DedupeJob.Topics TOPICS = Wis2DedupeJob.Topics.CATALOG;
    private static final String ORIGIN =
            "origin/a/wis2/xx-node/data/core/weather/surface-based-observations/synop";
    private static final String RECOMMENDED =
            "origin/a/wis2/xx-node/data/recommended/weather/surface-based-observations/synop";

    // The notifications arrive as they are published.
    private static final java.time.Instant PUBTIME =
            java.time.Instant.parse("2026-11-23T12:00:00Z");
    private final List<KafkaRecord> notifications = new ArrayList<>();

    private void receive(String topic, String dataId, byte[] value) {
        notifications.add(
                TestIo.read(
                        TOPICS.notifications(),
                        notifications.size(),
                        PUBTIME.toEpochMilli() + notifications.size(),
                        dataId.getBytes(StandardCharsets.UTF_8),
                        value,
                        List.of(
                                new KafkaRecord.Header(
                                        "mqtt.topic", topic.getBytes(StandardCharsets.UTF_8)))));
    }

    private static WnmBuilder wnm(String id, String dataId, boolean cache) {
        return WnmBuilder.notification(id, dataId, PUBTIME.toString())
                .datetime("2026-11-23T12:00:00Z")
                .cache(cache)
                .link("canonical", "https://node.example.org/" + dataId, "application/bufr");
    }

    @Test
    void oneRequestPerPairWhateverTheCopies() throws Exception {
        for (int d = 0; d < 10; d++) {
            String dataId = "xx-node/data/" + d;
            String id = UUID.randomUUID().toString();
            // The same message from two brokers, then three more copies with their own ids.
            receive(ORIGIN, dataId, wnm(id, dataId, true).bytes());
            receive(ORIGIN, dataId, wnm(id, dataId, true).bytes());
            for (int copy = 0; copy < 3; copy++) {
                receive(ORIGIN, dataId, wnm(UUID.randomUUID().toString(), dataId, true).bytes());
            }
        }
        receive(
                ORIGIN,
                "xx-node/plain",
                wnm(UUID.randomUUID().toString(), "xx-node/plain", false).bytes());
        receive(
                RECOMMENDED,
                "xx-node/rec",
                wnm(UUID.randomUUID().toString(), "xx-node/rec", true).bytes());
        byte[] garbage = "not a notification".getBytes(StandardCharsets.UTF_8);
        receive(ORIGIN, "xx-node/garbage", garbage);

        JobConfig config = JobConfig.of(Map.of());
        TestIo io = new TestIo().input(TOPICS.notifications(), notifications);
        new Wis2DedupeJob(config, TOPICS).build(Flink.env(config), io);
        List<KafkaRecord> outputs = io.run();

        List<KafkaRecord> requests = TestIo.to(outputs, TOPICS.fetchRequests());
        assertThat(requests).extracting(KafkaRecord::keyText).doesNotHaveDuplicates().hasSize(11);
        assertThat(requests)
                .filteredOn(r -> r.keyText().startsWith("xx-node/data/"))
                .allSatisfy(
                        r -> {
                            assertThat(r.header("mqtt.topic")).isEqualTo(ORIGIN);
                            KafkaRecord first =
                                    notifications.stream()
                                            .filter(n -> n.keyText().equals(r.keyText()))
                                            .findFirst()
                                            .orElseThrow();
                            assertThat(r.value()).isEqualTo(first.value());
                            assertThat(r.timestamp()).isEqualTo(first.timestamp());
                        });
        assertThat(requests).extracting(KafkaRecord::keyText).contains("xx-node/plain");
        List<KafkaRecord> dead = TestIo.to(outputs, TOPICS.deadLetters());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(dead.get(0).header(DeadLetterHeaders.MESSAGE)).isNotBlank();
    }
}
