package dev.millrace.connect.mqtt.source;

import dev.millrace.connect.internal.ConnectorValidation;
import dev.millrace.connect.internal.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

/**
 * MQTT to Kafka: subscribes to topic filters on one or more MQTT brokers and writes each message to
 * the Kafka topic its filter maps to, acknowledging it to the broker only once Kafka has it.
 * Brokers are divided among the tasks; each broker is read by exactly one task.
 */
public class MqttSourceConnector extends SourceConnector {
    private Map<String, String> props;
    private int brokerCount;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(props);
        this.props = Map.copyOf(props);
        this.brokerCount = config.connection().brokers().size();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MqttSourceTask.class;
    }

    /**
     * One task per group of brokers, at most one per broker. A task learns its brokers by their
     * positions in the list, from which it derives stable client ids.
     */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Integer> positions = IntStream.range(0, brokerCount).boxed().toList();
        int taskCount = Math.max(1, Math.min(maxTasks, brokerCount));
        List<Map<String, String>> configs = new ArrayList<>(taskCount);
        for (List<Integer> group : ConnectorUtils.groupPartitions(positions, taskCount)) {
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(
                    MqttSourceConnectorConfig.TASK_BROKER_INDEXES,
                    group.stream().map(String::valueOf).collect(Collectors.joining(",")));
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
        return MqttSourceConnectorConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return ConnectorValidation.withCrossKeyRules(
                super.validate(connectorConfigs), connectorConfigs, MqttSourceConnectorConfig::new);
    }
}
