package dev.millrace.connect.mqtt.sink;

import dev.millrace.connect.internal.Backoff;
import dev.millrace.connect.internal.ErrantRecords;
import dev.millrace.connect.internal.UnusablePayloadException;
import dev.millrace.connect.internal.Version;
import dev.millrace.connect.mqtt.MqttBroker;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import dev.millrace.connect.mqtt.internal.MqttClientFactory;
import dev.millrace.connect.mqtt.internal.MqttDisconnect;
import dev.millrace.connect.mqtt.internal.MqttErrors;
import dev.millrace.connect.mqtt.internal.SinkRecordMapper;
import dev.millrace.connect.mqtt.internal.SinkRecordMapper.Publication;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Kafka records to an MQTT broker, at least once.
 *
 * <p>{@link #put} returns only after the broker has acknowledged every publication of the batch
 * (QoS 1 or 2), so the offsets Connect commits afterwards never cover a record the broker does not
 * have. When the broker is unreachable or slow, put throws {@link RetriableException} after asking
 * Connect to wait a doubling backoff; Connect then redelivers the whole batch, and records already
 * published are published again. A record that cannot be published at all goes to the errant record
 * reporter (the connector's dead-letter queue), or fails the task when there is none.
 */
public class MqttSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(MqttSinkTask.class);

    private final MqttClientFactory clients;
    private final Clock clock;

    private MqttSinkConnectorConfig config;
    private SinkRecordMapper mapper;
    private MqttBroker broker;
    private String clientId;
    private MqttConnectOptions options;
    private IMqttAsyncClient client;
    private ErrantRecordReporter reporter;
    private Backoff backoff;
    private volatile boolean everConnected;

    public MqttSinkTask() {
        this(MqttClientFactory.PAHO, Clock.systemUTC());
    }

    MqttSinkTask(MqttClientFactory clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new MqttSinkConnectorConfig(props);
        MqttConnectionConfig connection = config.connection();
        mapper = config.mapper();
        broker = config.broker();
        clientId = connection.clientId(config.taskId());
        // A clean session: the sink has nothing to resume, since Connect redelivers whatever the
        // broker did not acknowledge.
        options = connection.connectOptions(broker, true);
        backoff = new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs());
        reporter = ErrantRecords.reporter(context);
        try {
            client = clients.create(broker.serverUris().get(0), clientId);
        } catch (MqttException e) {
            throw new ConnectException(
                    "Cannot create the MQTT client " + clientId + ": " + MqttErrors.describe(e), e);
        }
        client.setCallback(new ConnectionLog());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Publication> publications = new ArrayList<>(records.size());
        List<SinkRecord> errant = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (SinkRecord record : records) {
            try {
                publications.add(mapper.toPublication(record));
            } catch (UnusablePayloadException e) {
                if (reporter == null) {
                    throw new ConnectException(
                            "Cannot publish record " + position(record) + ": " + e.getMessage());
                }
                errant.add(record);
                reasons.add(e.getMessage());
            }
        }
        try {
            connectIfNeeded();
            publishAll(publications);
        } catch (MqttException e) {
            if (MqttErrors.isRefusal(e)) {
                throw new ConnectException(
                        broker.entry() + " refused " + clientId + ": " + MqttErrors.describe(e), e);
            }
            long delay = backoff.nextDelayMs();
            context.timeout(delay);
            throw new RetriableException(
                    "Cannot publish to "
                            + broker.entry()
                            + " as "
                            + clientId
                            + ": "
                            + MqttErrors.describe(e)
                            + "; retrying the batch in "
                            + delay
                            + " ms",
                    e);
        }
        backoff.reset();
        // Reported only once the batch is published, so a retried batch is not reported twice.
        for (int i = 0; i < errant.size(); i++) {
            reporter.report(errant.get(i), new DataException(reasons.get(i)));
        }
    }

    private void connectIfNeeded() throws MqttException {
        if (client.isConnected()) {
            return;
        }
        if (everConnected) {
            // Paho is already reconnecting; a second connect would be refused as in progress.
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        }
        client.connect(options).waitForCompletion(config.connection().connectTimeoutMs());
        everConnected = true;
    }

    /**
     * Publishes everything, then waits for every acknowledgement. When Paho's in-flight window is
     * full, waits for the oldest publication before sending the next.
     */
    private void publishAll(List<Publication> publications) throws MqttException {
        int qos = config.connection().qos();
        boolean retained = config.retained();
        long deadline = clock.millis() + config.publishTimeoutMs();
        Deque<IMqttDeliveryToken> inFlight = new ArrayDeque<>();
        for (Publication publication : publications) {
            while (true) {
                try {
                    inFlight.add(
                            client.publish(
                                    publication.topic(), publication.payload(), qos, retained));
                    break;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT
                            || inFlight.isEmpty()) {
                        throw e;
                    }
                    awaitDelivery(inFlight.poll(), deadline);
                }
            }
        }
        while (!inFlight.isEmpty()) {
            awaitDelivery(inFlight.poll(), deadline);
        }
    }

    private void awaitDelivery(IMqttDeliveryToken token, long deadline) throws MqttException {
        long remaining = deadline - clock.millis();
        if (remaining <= 0 && !token.isComplete()) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }
        token.waitForCompletion(Math.max(1, remaining));
    }

    private static String position(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    @Override
    public void stop() {
        if (client == null) {
            return;
        }
        MqttDisconnect.close(client, options, broker.entry(), clientId);
        client = null;
    }

    /** One log line per connect and disconnect. */
    private final class ConnectionLog implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            everConnected = true;
            log.info(
                    "{} to {} as {}", reconnect ? "Reconnected" : "Connected", serverUri, clientId);
        }

        @Override
        public void connectionLost(Throwable cause) {
            log.warn(
                    "Lost connection to {} as {}: {}; reconnecting",
                    broker.entry(),
                    clientId,
                    MqttErrors.describe(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // The sink subscribes to nothing.
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // put() waits on the tokens themselves.
        }
    }
}
