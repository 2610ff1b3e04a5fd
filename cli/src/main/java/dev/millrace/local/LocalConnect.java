package dev.millrace.local;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A Kafka Connect worker in distributed mode, in this JVM. Connector configs, source offsets and
 * status live in the catalog's compacted {@code millrace.connect-*} topics, so connectors resume
 * where they were after a restart. Plugins are found through the service loader only: scanning a
 * large classpath for plugins costs seconds at every start.
 */
public final class LocalConnect implements AutoCloseable {
    private final Connect<?> connect;

    private LocalConnect(Connect<?> connect) {
        this.connect = connect;
    }

    public static LocalConnect start(KafkaSettings kafka, String host, int restPort) {
        Map<String, String> worker = new HashMap<>();
        kafka.clientProperties().forEach((k, v) -> worker.put(k, String.valueOf(v)));
        worker.put("group.id", "millrace-connect");
        worker.put("config.storage.topic", TopicCatalog.CONNECT_CONFIGS.name());
        worker.put("offset.storage.topic", TopicCatalog.CONNECT_OFFSETS.name());
        worker.put("status.storage.topic", TopicCatalog.CONNECT_STATUS.name());
        String replication =
                kafka.replicationFactor() > 0 ? String.valueOf(kafka.replicationFactor()) : "-1";
        worker.put("config.storage.replication.factor", replication);
        worker.put("offset.storage.replication.factor", replication);
        worker.put("status.storage.replication.factor", replication);
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("listeners", "http://" + host + ":" + restPort);
        worker.put("rest.advertised.host.name", host);
        worker.put("rest.advertised.port", String.valueOf(restPort));
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        worker.put("consumer.isolation.level", "read_committed");
        Connect<?> connect = new ConnectDistributed().startConnect(worker);
        return new LocalConnect(connect);
    }

    /** Stops the worker; its connectors' state stays in Kafka. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
