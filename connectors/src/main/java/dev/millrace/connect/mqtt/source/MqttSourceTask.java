package dev.millrace.connect.mqtt.source;

import dev.millrace.connect.internal.Version;
import dev.millrace.connect.mqtt.MqttBroker;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.internal.BrokerSubscription;
import dev.millrace.connect.mqtt.internal.MqttClientFactory;
import dev.millrace.connect.mqtt.internal.MqttDelivery;
import dev.millrace.connect.mqtt.internal.MqttErrors;
import dev.millrace.connect.mqtt.internal.SourceRecordMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MQTT messages from its share of the brokers and hands them to Kafka Connect.
 *
 * <p>No message is lost: each broker connection is a persistent session (clean session off, client
 * id {@code <prefix>-<broker index>}) with manual acknowledgements, and a message is acknowledged
 * to the broker only in {@link #commitRecord}, once Kafka has its record. Whatever the task has not
 * acknowledged when it stops, the broker redelivers to the next session, so a message may reach
 * Kafka twice, never zero times.
 */
public class MqttSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(MqttSourceTask.class);

    private final MqttClientFactory clients;
    private final Clock clock;

    /** Records handed to Connect and not yet committed, with how to acknowledge each. */
    private final Map<SourceRecord, MqttDelivery> unacknowledged =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private final List<BrokerSubscription> subscriptions = new ArrayList<>();
    private BlockingQueue<MqttDelivery> queue;
    private SourceRecordMapper mapper;
    private long pollTimeoutMs;
    private int batchSize;

    public MqttSourceTask() {
        this(MqttClientFactory.PAHO, Clock.systemUTC());
    }

    MqttSourceTask(MqttClientFactory clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        MqttSourceConnectorConfig config = new MqttSourceConnectorConfig(props);
        MqttConnectionConfig connection = config.connection();
        queue = new ArrayBlockingQueue<>(config.queueCapacity());
        mapper =
                new SourceRecordMapper(
                        config.topicMappings(),
                        config.recordKey(),
                        config.recordKeyPointer(),
                        config.dlqTopic(),
                        config.maxPayloadBytes());
        pollTimeoutMs = config.pollTimeoutMs();
        batchSize = config.batchSize();
        String[] filters = config.topicMappings().filters();
        for (MqttBroker broker : config.taskBrokers()) {
            String clientId = connection.clientId(broker.index());
            try {
                subscriptions.add(
                        BrokerSubscription.open(
                                clients,
                                broker,
                                clientId,
                                connection.connectOptions(broker, false),
                                filters,
                                connection.qos(),
                                queue,
                                clock));
            } catch (MqttException e) {
                stop();
                throw new ConnectException(
                        "Cannot create the MQTT client "
                                + clientId
                                + " for "
                                + broker.entry()
                                + ": "
                                + MqttErrors.describe(e),
                        e);
            }
        }
    }

    /**
     * Waits up to {@code mqtt.poll.timeout.ms} for a first message, then takes whatever else is
     * already queued, up to {@code mqtt.batch.size}.
     */
    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        for (BrokerSubscription subscription : subscriptions) {
            subscription.maintain();
        }
        MqttDelivery first = queue.poll(pollTimeoutMs, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<MqttDelivery> batch = new ArrayList<>(Math.min(batchSize, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        List<SourceRecord> records = new ArrayList<>(batch.size());
        for (MqttDelivery delivery : batch) {
            Optional<SourceRecord> record = mapper.toRecord(delivery);
            if (record.isPresent()) {
                unacknowledged.put(record.get(), delivery);
                records.add(record.get());
            } else {
                delivery.acknowledgement().run();
            }
        }
        return records;
    }

    /**
     * Kafka has the record (or a transformation dropped it, when {@code metadata} is null): only
     * now may the broker forget the message.
     */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        MqttDelivery delivery = unacknowledged.remove(record);
        if (delivery != null) {
            delivery.acknowledgement().run();
        }
    }

    @Override
    public void stop() {
        for (BrokerSubscription subscription : subscriptions) {
            subscription.stop();
        }
        subscriptions.clear();
        int pending = unacknowledged.size() + (queue == null ? 0 : queue.size());
        if (pending > 0) {
            log.info("Stopped with {} messages not in Kafka; the brokers redeliver them", pending);
        }
        unacknowledged.clear();
        if (queue != null) {
            queue.clear();
        }
    }
}
