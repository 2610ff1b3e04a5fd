package dev.millrace.connect.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.connect.mqtt.testing.MqttTestClient;
import dev.millrace.local.LocalMqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source task against a real HiveMQ broker: what Kafka does not have, MQTT keeps. */
class MqttSourceTaskIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String FILTER = "carCoordinates";
    private static final String PREFIX = "it-source";
    private static final String CLIENT_ID = PREFIX + "-0";

    @TempDir Path dir;
    private LocalMqtt broker;
    private final List<MqttSourceTask> tasks = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = LocalMqtt.start(dir);
        // The session the task resumes, so messages published before it connects are kept.
        MqttTestClient.createPersistentSession(broker.url(), CLIENT_ID, FILTER, 1);
    }

    @AfterEach
    void stopAll() throws Exception {
        tasks.forEach(MqttSourceTask::stop);
        broker.close();
    }

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("mqtt.broker.urls", broker.url());
        props.put("mqtt.client.id", PREFIX);
        props.put("mqtt.topics", FILTER + "=telemetry.car-coordinates");
        props.put("mqtt.reconnect.backoff.max.ms", "1000");
        props.put("mqtt.connect.timeout.ms", "5000");
        return props;
    }

    private MqttSourceTask startTask() {
        MqttSourceTask task = new MqttSourceTask();
        tasks.add(task);
        task.start(props());
        return task;
    }

    @Test
    void aMessageNeverCommittedIsRedeliveredToTheNextTaskAndACommittedOneIsNot() throws Exception {
        try (MqttTestClient device = MqttTestClient.connect(broker.url(), "it-device")) {
            device.publish(FILTER, "committed");
            device.publish(FILTER, "uncommitted");
        }
        MqttSourceTask first = startTask();
        List<SourceRecord> firstRecords =
                pollUntil(first, payloads("committed", "uncommitted"), record -> false);
        SourceRecord committed = withPayload(firstRecords, "committed");
        first.commitRecord(committed, metadata());
        first.stop();

        MqttSourceTask second = startTask();
        try (MqttTestClient device = MqttTestClient.connect(broker.url(), "it-device")) {
            device.publish(FILTER, "after restart");
        }
        // Committing as Kafka would: the broker sends what it queued only once the redelivered
        // message is acknowledged.
        List<SourceRecord> secondRecords =
                pollUntil(second, payloads("after restart"), record -> true);

        assertThat(secondRecords)
                .extracting(MqttSourceTaskIT::payload)
                .contains("uncommitted")
                .doesNotContain("committed");
        assertThat(secondRecords.get(0).headers().lastWithName("mqtt.broker").value())
                .isEqualTo(broker.url());
    }

    @Test
    void reconnectsAfterTheBrokerRestartsAndReadsNewMessages() throws Exception {
        MqttSourceTask task = startTask();
        try (MqttTestClient device = MqttTestClient.connect(broker.url(), "it-device")) {
            device.publish(FILTER, "before restart");
        }
        pollUntil(task, payloads("before restart"), record -> true);

        broker.restart();
        try (MqttTestClient device = MqttTestClient.connect(broker.url(), "it-device")) {
            device.publish(FILTER, "after restart");
        }

        List<SourceRecord> after = pollUntil(task, payloads("after restart"), record -> true);
        assertThat(after).extracting(MqttSourceTaskIT::payload).contains("after restart");
    }

    @Test
    void subscribesAgainWhenANewBrokerKnowsNothingOfItsSession() throws Exception {
        MqttSourceTask task = startTask();
        try (MqttTestClient device = MqttTestClient.connect(broker.url(), "it-device")) {
            device.publish(FILTER, "before");
        }
        pollUntil(task, payloads("before"), record -> true);

        // Another broker on the same port, its state lost: no session, no subscription.
        int port = broker.port();
        broker.close();
        broker = LocalMqtt.start(dir.resolve("replacement"), "127.0.0.1", port);

        // Nothing queues for a subscription the broker does not have: publish until one arrives.
        List<SourceRecord> polled = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (MqttTestClient device = MqttTestClient.connect(broker.url(), "it-device")) {
            while (polled.stream().noneMatch(r -> payload(r).equals("after"))) {
                assertThat(System.nanoTime())
                        .as("a message after the new broker")
                        .isLessThan(deadline);
                device.publish(FILTER, "after");
                List<SourceRecord> records = task.poll();
                if (records != null) {
                    polled.addAll(records);
                    for (SourceRecord record : records) {
                        task.commitRecord(record, metadata());
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Polls until {@code done} holds for everything polled so far, committing the records {@code
     * commit} selects as if Kafka had them; fails at the deadline.
     */
    private static List<SourceRecord> pollUntil(
            MqttSourceTask task, Predicate<List<SourceRecord>> done, Predicate<SourceRecord> commit)
            throws InterruptedException {
        List<SourceRecord> polled = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.test(polled)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "gave up after "
                                + DEADLINE
                                + " with "
                                + polled.stream().map(MqttSourceTaskIT::payload).toList());
            }
            List<SourceRecord> records = task.poll();
            if (records != null) {
                polled.addAll(records);
                records.stream()
                        .filter(commit)
                        .forEach(record -> task.commitRecord(record, metadata()));
            }
        }
        return polled;
    }

    private static Predicate<List<SourceRecord>> payloads(String... expected) {
        return records ->
                records.stream()
                        .map(MqttSourceTaskIT::payload)
                        .toList()
                        .containsAll(List.of(expected));
    }

    private static SourceRecord withPayload(List<SourceRecord> records, String payload) {
        return records.stream().filter(r -> payload(r).equals(payload)).findFirst().orElseThrow();
    }

    private static String payload(SourceRecord record) {
        return new String((byte[]) record.value(), StandardCharsets.UTF_8);
    }

    private static RecordMetadata metadata() {
        return new RecordMetadata(
                new TopicPartition("telemetry.car-coordinates", 0), 0, 0, 0, 0, 0);
    }
}
