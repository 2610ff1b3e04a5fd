package dev.millrace.connect.mqtt.sink;

import dev.millrace.connect.internal.ConnectorValidation;
import dev.millrace.connect.internal.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka to MQTT: publishes each record's value to one MQTT broker, on a fixed topic or one taken
 * from a header or the JSON value, at least once. Every task has its own connection and client id
 * {@code <prefix>-<task number>}.
 */
public class MqttSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new MqttSinkConnectorConfig(props); // fails on an invalid config before any task starts
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MqttSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int task = 0; task < maxTasks; task++) {
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(MqttSinkConnectorConfig.TASK_ID, Integer.toString(task));
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Tasks hold the connections.
    }

    @Override
    public ConfigDef config() {
        return MqttSinkConnectorConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return ConnectorValidation.withCrossKeyRules(
                super.validate(connectorConfigs), connectorConfigs, MqttSinkConnectorConfig::new);
    }
}
