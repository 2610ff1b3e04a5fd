package dev.millrace.connect.s3;

import dev.millrace.connect.internal.ConnectorValidation;
import dev.millrace.connect.internal.Version;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka to S3: archives each record as an object (or the records of each partition as batch
 * objects) at a key rendered from the record, at least once, optionally reporting every archived
 * record on a completion topic and keeping records that cannot be archived whole in a salvage
 * bucket. Keys are deterministic, so a redelivered record overwrites its own object.
 */
public class S3SinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new S3SinkConnectorConfig(props); // fails on an invalid config before any task starts
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3SinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // Tasks differ only in the partitions Connect assigns them.
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // Tasks hold the clients.
    }

    @Override
    public ConfigDef config() {
        return S3SinkConnectorConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return ConnectorValidation.withCrossKeyRules(
                super.validate(connectorConfigs), connectorConfigs, S3SinkConnectorConfig::new);
    }
}
