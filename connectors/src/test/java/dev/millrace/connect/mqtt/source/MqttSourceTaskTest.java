package dev.millrace.connect.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.connect.mqtt.testing.FakeMqttClient;
import dev.millrace.connect.mqtt.testing.FakeMqttClient.Subscription;
import dev.millrace.connect.mqtt.testing.FakeMqttClients;
import dev.millrace.connect.mqtt.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttSourceTaskTest {
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");
    private static final String CLIENT = "telemetry-source-0";

    private final FakeMqttClients clients = new FakeMqttClients();
    private final MutableClock clock = new MutableClock(START);
    private final MqttSourceTask task = new MqttSourceTask(clients, clock);

    private static Map<String, String> props() {
        Map<String, String> props = MqttSourceConnectorConfigTest.valid();
        props.put("mqtt.broker.urls", "tcp://a:1883,tcp://b:1883,tcp://c:1883");
        props.put("mqtt.topics", "carCoordinates=telemetry.car-coordinates,pit/#=telemetry.pit");
        props.put("mqtt.task.broker.indexes", "0,2");
        props.put("mqtt.poll.timeout.ms", "0");
        return props;
    }

    @AfterEach
    void stopTask() {
        task.stop();
    }

    @Test
    void opensAPersistentSessionOnEachAssignedBroker() {
        task.start(props());

        assertThat(clients.all().keySet())
                .containsExactlyInAnyOrder("telemetry-source-0", "telemetry-source-2");
        for (FakeMqttClient client : clients.all().values()) {
            assertThat(client.isConnected()).isTrue();
            assertThat(client.manualAcks()).isTrue();
            MqttConnectOptions options = client.connectAttempts.get(0);
            assertThat(options.isCleanSession()).isFalse();
            assertThat(options.isAutomaticReconnect()).isTrue();
            assertThat(client.subscriptions)
                    .containsExactly(
                            new Subscription(List.of("carCoordinates", "pit/#"), List.of(1, 1)));
        }
        assertThat(clients.get("telemetry-source-2").getServerURI()).isEqualTo("tcp://c:1883");
    }

    @Test
    void acknowledgesAMessageOnlyOnceKafkaHasItsRecord() throws Exception {
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);
        client.deliver("carCoordinates", bytes("{\"carIndex\": 1}"), 7, 1);

        List<SourceRecord> records = task.poll();

        assertThat(records).hasSize(1);
        assertThat(client.acknowledged).isEmpty();

        task.commitRecord(records.get(0), metadata("telemetry.car-coordinates"));

        assertThat(client.acknowledged).containsExactly(7);
    }

    @Test
    void acknowledgesARecordATransformationDropped() throws Exception {
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);
        client.deliver("carCoordinates", bytes("{}"), 8, 1);

        List<SourceRecord> records = task.poll();
        task.commitRecord(records.get(0), null);

        assertThat(client.acknowledged).containsExactly(8);
    }

    @Test
    void acknowledgesEachRecordOnItsOwnBroker() throws Exception {
        task.start(props());
        clients.get("telemetry-source-0").deliver("carCoordinates", bytes("a"), 1, 1);
        clients.get("telemetry-source-2").deliver("pit/lane", bytes("b"), 1, 1);

        List<SourceRecord> records = task.poll();
        SourceRecord fromC =
                records.stream()
                        .filter(r -> r.topic().equals("telemetry.pit"))
                        .findFirst()
                        .orElseThrow();
        task.commitRecord(fromC, metadata("telemetry.pit"));

        assertThat(clients.get("telemetry-source-2").acknowledged).containsExactly(1);
        assertThat(clients.get("telemetry-source-0").acknowledged).isEmpty();
        assertThat(fromC.sourcePartition()).isEqualTo(Map.of("broker", "tcp://c:1883"));
    }

    @Test
    void stoppingLeavesUncommittedMessagesWithTheBroker() throws Exception {
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);
        client.deliver("carCoordinates", bytes("1"), 1, 1);
        client.deliver("carCoordinates", bytes("2"), 2, 1);
        List<SourceRecord> records = task.poll();
        task.commitRecord(records.get(0), metadata("telemetry.car-coordinates"));

        task.stop();

        assertThat(client.acknowledged).containsExactly(1);
        assertThat(client.isConnected()).isFalse();
        assertThat(client.isClosed()).isTrue();
        assertThat(client.connectAttempts.get(0).isAutomaticReconnect()).isFalse();
    }

    @Test
    void doesNotAcknowledgeAMessageDeliveredOnAnEarlierConnection() throws Exception {
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);
        client.deliver("carCoordinates", bytes("before"), 5, 1);
        List<SourceRecord> records = task.poll();

        client.loseConnection();
        client.reconnectAutomatically();
        task.commitRecord(records.get(0), metadata("telemetry.car-coordinates"));

        assertThat(client.acknowledged).isEmpty();
    }

    @Test
    void subscribesAgainAfterAReconnect() {
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);

        client.loseConnection();
        client.reconnectAutomatically();

        assertThat(client.subscriptions).hasSize(2);
    }

    @Test
    void neverAcknowledgesQosZero() throws Exception {
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);
        client.deliver("carCoordinates", bytes("0"), 0, 0);

        task.commitRecord(task.poll().get(0), metadata("telemetry.car-coordinates"));

        assertThat(client.acknowledged).isEmpty();
    }

    @Test
    void retriesAFirstConnectionWithDoublingBackoff() throws Exception {
        clients.reachable(false);
        task.start(props());
        FakeMqttClient client = clients.get(CLIENT);
        assertThat(client.connectAttempts).hasSize(1);

        task.poll();
        assertThat(client.connectAttempts).as("before the first backoff").hasSize(1);

        clock.advance(Duration.ofMillis(1_000));
        task.poll();
        assertThat(client.connectAttempts).as("after one second").hasSize(2);

        clock.advance(Duration.ofMillis(1_999));
        task.poll();
        assertThat(client.connectAttempts).as("the second wait is two seconds").hasSize(2);

        client.setReachable(true);
        clock.advance(Duration.ofMillis(1));
        task.poll();
        assertThat(client.connectAttempts).hasSize(3);
        assertThat(client.isConnected()).isTrue();
        assertThat(client.subscriptions).hasSize(1);
    }

    @Test
    void pollTakesAtMostABatchOfWhatIsQueued() throws Exception {
        Map<String, String> props = props();
        props.put("mqtt.batch.size", "2");
        task.start(props);
        FakeMqttClient client = clients.get(CLIENT);
        for (int id = 1; id <= 3; id++) {
            client.deliver("carCoordinates", bytes("m" + id), id, 1);
        }

        assertThat(task.poll()).hasSize(2);
        assertThat(task.poll()).hasSize(1);
        assertThat(task.poll()).isNull();
    }

    @Test
    void recordsAreStampedWithTheReceiveTime() throws Exception {
        task.start(props());
        clock.advance(Duration.ofSeconds(5));
        clients.get(CLIENT).deliver("carCoordinates", bytes("x"), 1, 1);

        SourceRecord record = task.poll().get(0);

        long received = START.plusSeconds(5).toEpochMilli();
        assertThat(record.timestamp()).isEqualTo(received);
        assertThat(record.headers().lastWithName("mqtt.received").value())
                .isEqualTo(Long.toString(received));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static RecordMetadata metadata(String topic) {
        return new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0);
    }
}
