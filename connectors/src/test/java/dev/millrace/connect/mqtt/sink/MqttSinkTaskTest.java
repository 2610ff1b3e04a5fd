package dev.millrace.connect.mqtt.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.millrace.connect.mqtt.testing.FakeMqttClient;
import dev.millrace.connect.mqtt.testing.FakeMqttClient.Publication;
import dev.millrace.connect.mqtt.testing.FakeMqttClients;
import dev.millrace.connect.mqtt.testing.FakeSinkTaskContext;
import dev.millrace.connect.mqtt.testing.FakeToken;
import dev.millrace.connect.mqtt.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttSinkTaskTest {
    private static final String CLIENT = "telemetry-car-status-3";

    private final FakeMqttClients clients = new FakeMqttClients();
    private final MqttSinkTask task =
            new MqttSinkTask(clients, new MutableClock(Instant.parse("2026-11-23T12:00:00Z")));
    private FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();

    private static Map<String, String> props() {
        Map<String, String> props = MqttSinkConnectorConfigTest.valid();
        props.put("mqtt.task.id", "3");
        props.put("mqtt.retry.backoff.ms", "100");
        props.put("mqtt.retry.backoff.max.ms", "1000");
        return props;
    }

    private void start(Map<String, String> props) {
        task.initialize(context);
        task.start(props);
    }

    @AfterEach
    void stopTask() {
        task.stop();
    }

    @Test
    void publishesEveryRecordWithTheConfiguredQosAndRetainFlag() {
        Map<String, String> props = props();
        props.put("mqtt.retained", "true");
        start(props);

        task.put(List.of(record(0, "{\"v\": 1}"), record(1, "{\"v\": 2}")));

        FakeMqttClient client = clients.get(CLIENT);
        assertThat(client.published)
                .extracting(p -> p.topic(), p -> text(p), p -> p.qos(), p -> p.retained())
                .containsExactly(
                        tuple("carStatus", "{\"v\": 1}", 1, true),
                        tuple("carStatus", "{\"v\": 2}", 1, true));
        assertThat(context.timeouts).isEmpty();
    }

    @Test
    void connectsWithACleanSessionAsTheTask() {
        start(props());

        task.put(List.of(record(0, "x")));

        FakeMqttClient client = clients.get(CLIENT);
        assertThat(client.getServerURI()).isEqualTo("tcp://mqtt:1883");
        assertThat(client.connectAttempts).hasSize(1);
        assertThat(client.connectAttempts.get(0).isCleanSession()).isTrue();
        assertThat(client.connectAttempts.get(0).isAutomaticReconnect()).isTrue();
    }

    @Test
    void returnsOnlyOnceTheBrokerAcknowledgedEveryPublication() {
        start(props());
        AtomicInteger acknowledged = new AtomicInteger();
        FakeMqttClient client = clients.get(CLIENT);
        client.setPublishOutcome(() -> FakeToken.done(acknowledged::incrementAndGet));

        task.put(List.of(record(0, "a"), record(1, "b"), record(2, "c")));

        assertThat(acknowledged).hasValue(3);
    }

    @Test
    void anErrantRecordGoesToTheReporterAndTheRestIsPublished() {
        Map<String, String> props = props();
        props.remove("mqtt.topic");
        props.put("mqtt.topic.header", "mqtt-topic");
        start(props);
        SinkRecord withTopic = record(0, "ok");
        withTopic.headers().addString("mqtt-topic", "events");
        SinkRecord withoutTopic = record(1, "lost?");

        task.put(List.of(withTopic, withoutTopic));

        assertThat(clients.get(CLIENT).published)
                .extracting(Publication::topic)
                .containsExactly("events");
        assertThat(context.errant).hasSize(1);
        assertThat(context.errant.get(0).record()).isSameAs(withoutTopic);
        assertThat(context.errant.get(0).error()).hasMessage("record has no header mqtt-topic");
    }

    @Test
    void withoutAReporterAnErrantRecordFailsTheTaskNamingIt() {
        context = FakeSinkTaskContext.withoutReporter();
        start(props());

        assertThatThrownBy(() -> task.put(List.of(record(41, "fine"), record(42, null))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessage(
                        "Cannot publish record telemetry.car-status-0@42: record has a null"
                                + " value");
        assertThat(clients.get(CLIENT).published).isEmpty();
    }

    @Test
    void backoffDoublesWhileTheBrokerIsUnreachableAndStartsOverAfterASuccess() {
        clients.reachable(false);
        start(props());
        List<SinkRecord> batch = List.of(record(0, "x"));

        for (int attempt = 0; attempt < 6; attempt++) {
            assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        }
        assertThat(context.timeouts).containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L);

        FakeMqttClient client = clients.get(CLIENT);
        client.setReachable(true);
        task.put(batch);
        assertThat(client.published).hasSize(1);

        client.loseConnection();
        assertThatThrownBy(() -> task.put(batch))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("retrying the batch in 100 ms");
        assertThat(context.timeouts).endsWith(100L);
    }

    @Test
    void aDeliveryTheBrokerDoesNotAcknowledgeInTimeIsRetried() {
        start(props());
        task.put(List.of(record(0, "first")));
        clients.get(CLIENT).setPublishOutcome(FakeToken::neverCompletes);

        assertThatThrownBy(() -> task.put(List.of(record(1, "second"))))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("Cannot publish to tcp://mqtt:1883 as " + CLIENT);
        assertThat(context.timeouts).containsExactly(100L);
    }

    @Test
    void aFullInFlightWindowWaitsForEarlierAcknowledgements() {
        start(props());
        FakeMqttClient client = clients.get(CLIENT);
        client.limitInFlight(2);

        task.put(List.of(record(1, "a"), record(2, "b"), record(3, "c"), record(4, "d")));

        assertThat(client.published).extracting(p -> text(p)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void refusedCredentialsFailTheTask() {
        start(props());
        clients.get(CLIENT).refuseWith(MqttException.REASON_CODE_FAILED_AUTHENTICATION);

        assertThatThrownBy(() -> task.put(List.of(record(0, "x"))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("refused " + CLIENT);
    }

    @Test
    void stopDisconnectsAndTurnsReconnectOff() {
        start(props());
        task.put(List.of(record(0, "x")));
        FakeMqttClient client = clients.get(CLIENT);

        task.stop();

        assertThat(client.isConnected()).isFalse();
        assertThat(client.isClosed()).isTrue();
        assertThat(client.connectAttempts.get(0).isAutomaticReconnect()).isFalse();
    }

    private static SinkRecord record(long offset, String value) {
        return new SinkRecord(
                "telemetry.car-status",
                0,
                Schema.OPTIONAL_STRING_SCHEMA,
                "2",
                null,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                offset,
                1L,
                TimestampType.CREATE_TIME,
                new ConnectHeaders());
    }

    private static String text(Publication publication) {
        return new String(publication.payload(), StandardCharsets.UTF_8);
    }
}
