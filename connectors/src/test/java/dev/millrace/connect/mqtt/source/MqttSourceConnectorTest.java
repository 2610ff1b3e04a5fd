package dev.millrace.connect.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.connect.mqtt.testing.FakeMqttClients;
import dev.millrace.connect.mqtt.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;

class MqttSourceConnectorTest {

    private static Map<String, String> threeBrokers() {
        Map<String, String> props = MqttSourceConnectorConfigTest.valid();
        props.put("mqtt.broker.urls", "tcp://a:1883,tcp://b:1883,tcp://c:1883");
        return props;
    }

    @Test
    void dividesTheBrokersAmongTheTasks() {
        MqttSourceConnector connector = new MqttSourceConnector();
        connector.start(threeBrokers());

        List<Map<String, String>> tasks = connector.taskConfigs(2);

        assertThat(tasks)
                .extracting(task -> task.get("mqtt.task.broker.indexes"))
                .containsExactly("0,1", "2");
        assertThat(tasks).allSatisfy(task -> assertThat(task).containsAllEntriesOf(threeBrokers()));
    }

    @Test
    void startsNoMoreTasksThanBrokers() {
        MqttSourceConnector connector = new MqttSourceConnector();
        connector.start(threeBrokers());

        List<Map<String, String>> tasks = connector.taskConfigs(5);

        assertThat(tasks)
                .extracting(task -> task.get("mqtt.task.broker.indexes"))
                .containsExactly("0", "1", "2");
    }

    @Test
    void clientIdsFollowTheBrokerNotTheTask() {
        MqttSourceConnector connector = new MqttSourceConnector();
        connector.start(threeBrokers());
        FakeMqttClients clients = new FakeMqttClients();

        for (Map<String, String> taskConfig : connector.taskConfigs(2)) {
            MqttSourceTask task = new MqttSourceTask(clients, new MutableClock(Instant.EPOCH));
            task.start(taskConfig);
            task.stop();
        }

        assertThat(clients.all().keySet())
                .containsExactlyInAnyOrder(
                        "telemetry-source-0", "telemetry-source-1", "telemetry-source-2");
        assertThat(clients.get("telemetry-source-2").getServerURI()).isEqualTo("tcp://c:1883");
    }

    @Test
    void validationReportsAMissingTargetOnTheTopicsKey() {
        Map<String, String> props = MqttSourceConnectorConfigTest.valid();
        props.put("mqtt.topics", "carCoordinates");

        List<ConfigValue> values = new MqttSourceConnector().validate(props).configValues();

        ConfigValue topics =
                values.stream()
                        .filter(v -> v.name().equals("mqtt.topics"))
                        .findFirst()
                        .orElseThrow();
        assertThat(topics.errorMessages()).singleElement().asString().contains("kafka.topic");
        assertThat(values)
                .filteredOn(v -> !v.name().equals("mqtt.topics"))
                .allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
    }

    @Test
    void validationAcceptsAValidConfig() {
        List<ConfigValue> values =
                new MqttSourceConnector()
                        .validate(MqttSourceConnectorConfigTest.valid())
                        .configValues();

        assertThat(values).allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
    }

    @Test
    void theWorkerFindsTheConnectorThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(SourceConnector.class).stream())
                .extracting(ServiceLoader.Provider::type)
                .contains(MqttSourceConnector.class);
        assertThat(new MqttSourceConnector().version()).isNotBlank();
        assertThat(new MqttSourceConnector().taskClass()).isEqualTo(MqttSourceTask.class);
    }
}
