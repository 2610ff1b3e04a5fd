package dev.millrace.connect.mqtt.internal;

import dev.millrace.connect.internal.Backoff;
import dev.millrace.connect.mqtt.MqttBroker;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source connection: a persistent MQTT session on one broker, subscribed to every filter,
 * handing messages to a queue and acknowledging each only when told to.
 *
 * <p>Paho reconnects by itself once a first connection succeeded; until then {@link #maintain()}
 * retries with backoff, so a task can start while its broker is down.
 */
public final class BrokerSubscription implements MqttCallbackExtended {
    private static final Logger log = LoggerFactory.getLogger(BrokerSubscription.class);
    private static final long FIRST_RETRY_MS = 1_000;
    private static final long OFFER_WAIT_MS = 100;
    private static final int SUBSCRIPTION_REFUSED = 0x80;

    private final MqttBroker broker;
    private final String clientId;
    private final IMqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String[] filters;
    private final int[] qos;
    private final BlockingQueue<MqttDelivery> queue;
    private final Clock clock;
    private final Backoff firstConnectBackoff;

    /**
     * Counts lost connections. Message ids are only meaningful on the connection that delivered
     * them: after a reconnect the broker resends unacknowledged messages and may reuse their ids,
     * so an acknowledgement from an earlier connection could confirm a different message.
     */
    private final AtomicLong connection = new AtomicLong();

    private volatile boolean everConnected;
    private volatile boolean connecting;
    private volatile boolean stopping;
    private volatile long nextAttemptMs;

    private BrokerSubscription(
            MqttBroker broker,
            String clientId,
            IMqttAsyncClient client,
            MqttConnectOptions options,
            String[] filters,
            int qos,
            BlockingQueue<MqttDelivery> queue,
            Clock clock,
            long reconnectBackoffMaxMs) {
        this.broker = broker;
        this.clientId = clientId;
        this.client = client;
        this.options = options;
        this.filters = filters.clone();
        this.qos = new int[filters.length];
        Arrays.fill(this.qos, qos);
        this.queue = queue;
        this.clock = clock;
        this.firstConnectBackoff =
                new Backoff(FIRST_RETRY_MS, Math.max(FIRST_RETRY_MS, reconnectBackoffMaxMs));
    }

    /** Creates the client and starts connecting; messages go to {@code queue}. */
    public static BrokerSubscription open(
            MqttClientFactory clients,
            MqttBroker broker,
            String clientId,
            MqttConnectOptions options,
            String[] filters,
            int qos,
            BlockingQueue<MqttDelivery> queue,
            Clock clock)
            throws MqttException {
        IMqttAsyncClient client = clients.create(broker.serverUris().get(0), clientId);
        BrokerSubscription subscription =
                new BrokerSubscription(
                        broker,
                        clientId,
                        client,
                        options,
                        filters,
                        qos,
                        queue,
                        clock,
                        options.getMaxReconnectDelay());
        client.setCallback(subscription);
        client.setManualAcks(true);
        subscription.connect();
        return subscription;
    }

    public MqttBroker broker() {
        return broker;
    }

    public String clientId() {
        return clientId;
    }

    /** Retries a first connection that failed, once its backoff has passed. */
    public void maintain() {
        if (everConnected || connecting || stopping || clock.millis() < nextAttemptMs) {
            return;
        }
        connect();
    }

    private void connect() {
        connecting = true;
        try {
            client.connect(
                    options,
                    null,
                    new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            everConnected = true;
                            connecting = false;
                            firstConnectBackoff.reset();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            connectFailed(failure);
                        }
                    });
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private void connectFailed(Throwable failure) {
        long delay = firstConnectBackoff.nextDelayMs();
        nextAttemptMs = clock.millis() + delay;
        connecting = false;
        log.warn(
                "Cannot connect to {} as {}: {}; retrying in {} ms",
                broker.entry(),
                clientId,
                MqttErrors.describe(failure),
                delay);
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        everConnected = true;
        log.info("{} to {} as {}", reconnect ? "Reconnected" : "Connected", serverUri, clientId);
        // The persistent session keeps subscriptions, but subscribing again picks up filters
        // added to the config since the session was created.
        try {
            client.subscribe(
                    filters,
                    qos,
                    null,
                    new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            int[] granted = token.getGrantedQos();
                            for (int i = 0; granted != null && i < granted.length; i++) {
                                if (granted[i] == SUBSCRIPTION_REFUSED && i < filters.length) {
                                    log.warn(
                                            "{} refused the subscription of {} to {}",
                                            broker.entry(),
                                            clientId,
                                            filters[i]);
                                }
                            }
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            log.warn(
                                    "Cannot subscribe {} on {}: {}",
                                    clientId,
                                    broker.entry(),
                                    MqttErrors.describe(failure));
                        }
                    });
        } catch (MqttException e) {
            log.warn(
                    "Cannot subscribe {} on {}: {}",
                    clientId,
                    broker.entry(),
                    MqttErrors.describe(e));
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        connection.incrementAndGet();
        log.warn(
                "Lost connection to {} as {}: {}; reconnecting",
                broker.entry(),
                clientId,
                MqttErrors.describe(cause));
    }

    /**
     * Runs on Paho's callback thread. Waiting for room in the queue stops Paho reading from the
     * socket, which is the back-pressure we want; returning without an acknowledgement leaves the
     * message with the broker.
     */
    @Override
    public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
        long current = connection.get();
        int id = message.getId();
        int messageQos = message.getQos();
        MqttDelivery delivery =
                new MqttDelivery(
                        broker,
                        topic,
                        message.getPayload(),
                        messageQos,
                        clock.millis(),
                        () -> acknowledge(current, id, messageQos));
        while (!stopping) {
            if (queue.offer(delivery, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // The source only subscribes.
    }

    private void acknowledge(long deliveredOn, int messageId, int messageQos) {
        if (messageQos == 0) {
            return;
        }
        if (deliveredOn != connection.get()) {
            log.debug(
                    "Not acknowledging message {} of {}: it arrived on an earlier connection and"
                            + " the broker redelivers it",
                    messageId,
                    clientId);
            return;
        }
        try {
            client.messageArrivedComplete(messageId, messageQos);
        } catch (MqttException e) {
            log.debug(
                    "Cannot acknowledge message {} of {}: {}; the broker redelivers it",
                    messageId,
                    clientId,
                    MqttErrors.describe(e));
        }
    }

    /**
     * Disconnects without acknowledging anything more: the broker keeps what Kafka does not have
     * and redelivers it to the next session with this client id.
     */
    public void stop() {
        stopping = true;
        MqttDisconnect.close(client, options, broker.entry(), clientId);
    }
}
