package dev.millrace.connect.mqtt.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.connect.mqtt.testing.FakeSinkTaskContext;
import dev.millrace.connect.mqtt.testing.MqttTestClient;
import dev.millrace.connect.mqtt.testing.MqttTestClient.Received;
import dev.millrace.local.LocalMqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink task against a real HiveMQ broker, watched by a real subscriber. */
class MqttSinkTaskIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir Path dir;
    private LocalMqtt broker;
    private final List<MqttSinkTask> tasks = new ArrayList<>();
    private final FakeSinkTaskContext context = FakeSinkTaskContext.withReporter();
    private final List<MqttTestClient> subscribers = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = LocalMqtt.start(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        tasks.forEach(MqttSinkTask::stop);
        for (MqttTestClient subscriber : subscribers) {
            subscriber.close();
        }
        broker.close();
    }

    private Map<String, String> props(String clientId, String topicKey, String topicValue) {
        Map<String, String> props = new HashMap<>();
        props.put("mqtt.broker.urls", broker.url());
        props.put("mqtt.client.id", clientId);
        props.put(topicKey, topicValue);
        props.put("mqtt.reconnect.backoff.max.ms", "1000");
        props.put("mqtt.connect.timeout.ms", "5000");
        props.put("mqtt.publish.timeout.ms", "5000");
        return props;
    }

    private MqttSinkTask startTask(Map<String, String> props) {
        MqttSinkTask task = new MqttSinkTask();
        tasks.add(task);
        task.initialize(context);
        task.start(props);
        return task;
    }

    private MqttTestClient subscriber(String filter) throws Exception {
        MqttTestClient subscriber =
                MqttTestClient.connect(broker.url(), "it-watcher-" + subscribers.size())
                        .subscribe(filter);
        subscribers.add(subscriber);
        return subscriber;
    }

    @Test
    void publishesOnTheFixedTopic() throws Exception {
        MqttTestClient watcher = subscriber("#");
        MqttSinkTask task = startTask(props("it-fixed", "mqtt.topic", "carStatus"));
        String status = "{\"timestamp\": 1, \"carIndex\": 2, \"type\": \"SPEED\", \"value\": 88}";

        task.put(List.of(record(0, status, null)));

        assertThat(watcher.next(DEADLINE)).isEqualTo(new Received("carStatus", status));
    }

    @Test
    void publishesOnTheTopicNamedByAHeader() throws Exception {
        MqttTestClient watcher = subscriber("#");
        MqttSinkTask task = startTask(props("it-header", "mqtt.topic.header", "mqtt-topic"));

        task.put(List.of(record(0, "{\"text\": \"lap\"}", "events")));

        assertThat(watcher.next(DEADLINE)).isEqualTo(new Received("events", "{\"text\": \"lap\"}"));
    }

    @Test
    void publishesOnTheTopicFoundInThePayload() throws Exception {
        MqttTestClient watcher = subscriber("#");
        MqttSinkTask task = startTask(props("it-pointer", "mqtt.topic.pointer", "/topic"));
        String event = "{\"topic\": \"cars/2/events\", \"text\": \"Car 2 leads\"}";

        task.put(List.of(record(0, event, null)));

        assertThat(watcher.next(DEADLINE)).isEqualTo(new Received("cars/2/events", event));
    }

    @Test
    void aBatchRefusedWhileTheBrokerIsDownIsDeliveredOnceItIsBack() throws Exception {
        MqttSinkTask task = startTask(props("it-outage", "mqtt.topic", "carStatus"));
        task.put(List.of(record(0, "while up", null)));

        broker.stop();
        List<SinkRecord> batch = List.of(record(1, "during outage", null));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);

        broker.restart();
        MqttTestClient watcher = subscriber("carStatus");
        putUntilAccepted(task, batch);

        assertThat(watcher.next(DEADLINE)).isEqualTo(new Received("carStatus", "during outage"));
    }

    /**
     * What Connect does with a RetriableException: waits the timeout the task asked for, then
     * offers the same batch again.
     */
    private void putUntilAccepted(MqttSinkTask task, List<SinkRecord> batch)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                task.put(batch);
                return;
            } catch (RetriableException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the broker never took the batch", e);
                }
                Thread.sleep(context.timeouts.get(context.timeouts.size() - 1));
            }
        }
    }

    private static SinkRecord record(long offset, String value, String mqttTopicHeader) {
        ConnectHeaders headers = new ConnectHeaders();
        if (mqttTopicHeader != null) {
            headers.addString("mqtt-topic", mqttTopicHeader);
        }
        return new SinkRecord(
                "telemetry.car-status",
                0,
                Schema.OPTIONAL_STRING_SCHEMA,
                "2",
                null,
                value.getBytes(StandardCharsets.UTF_8),
                offset,
                1L,
                TimestampType.CREATE_TIME,
                headers);
    }
}
