package dev.millrace.connect.mqtt.testing;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * An in-memory stand-in for Paho's asynchronous client: it records what the code under test asks of
 * it (connects, subscriptions, acknowledgements, publications) and lets the test play the broker
 * (deliver a message, drop or restore the connection).
 */
public final class FakeMqttClient implements IMqttAsyncClient {

    /** One subscribe call. */
    public record Subscription(List<String> filters, List<Integer> qos) {}

    /** One publish call. */
    public record Publication(String topic, byte[] payload, int qos, boolean retained) {}

    private final String serverUri;
    private final String clientId;
    private volatile boolean reachable;
    private volatile int refusalCode;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile boolean manualAcks;
    private volatile MqttCallback callback;
    private volatile Supplier<IMqttDeliveryToken> publishOutcome = FakeToken::done;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int inFlightLimit;

    public final List<MqttConnectOptions> connectAttempts = new CopyOnWriteArrayList<>();
    public final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    public final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    public final List<Publication> published = new CopyOnWriteArrayList<>();

    public FakeMqttClient(String serverUri, String clientId, boolean reachable) {
        this.serverUri = serverUri;
        this.clientId = clientId;
        this.reachable = reachable;
    }

    // --- the test playing the broker ---

    public void setReachable(boolean reachable) {
        this.reachable = reachable;
    }

    /** Makes every connect fail with an MQTT refusal (bad credentials and the like). */
    public void refuseWith(int reasonCode) {
        this.refusalCode = reasonCode;
    }

    public void setPublishOutcome(Supplier<IMqttDeliveryToken> outcome) {
        this.publishOutcome = outcome;
    }

    /**
     * Refuses a publication while {@code limit} others are unacknowledged, as Paho does; waiting
     * for a token acknowledges it.
     */
    public void limitInFlight(int limit) {
        this.inFlightLimit = limit;
    }

    public void deliver(String topic, byte[] payload, int messageId, int qos) throws Exception {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setId(messageId);
        callback.messageArrived(topic, message);
    }

    public void loseConnection() {
        connected = false;
        callback.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST));
    }

    /** What Paho's automatic reconnect does once the broker is back. */
    public void reconnectAutomatically() {
        connected = true;
        ((MqttCallbackExtended) callback).connectComplete(true, serverUri);
    }

    public boolean manualAcks() {
        return manualAcks;
    }

    public boolean isClosed() {
        return closed;
    }

    // --- IMqttAsyncClient ---

    @Override
    public IMqttToken connect(MqttConnectOptions options, Object ctx, IMqttActionListener listener)
            throws MqttException {
        connectAttempts.add(options);
        if (closed) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_CLOSED);
        }
        if (refusalCode != 0 || !reachable) {
            int code =
                    refusalCode != 0 ? refusalCode : MqttException.REASON_CODE_SERVER_CONNECT_ERROR;
            FakeToken token = FakeToken.failed(code);
            if (listener != null) {
                listener.onFailure(token, token.getException());
            }
            return token;
        }
        connected = true;
        FakeToken token = FakeToken.done();
        if (listener != null) {
            listener.onSuccess(token);
        }
        if (callback instanceof MqttCallbackExtended extended) {
            extended.connectComplete(false, serverUri);
        }
        return token;
    }

    @Override
    public IMqttToken connect(MqttConnectOptions options) throws MqttException {
        return connect(options, null, null);
    }

    @Override
    public IMqttToken connect() throws MqttException {
        return connect(new MqttConnectOptions());
    }

    @Override
    public IMqttToken connect(Object ctx, IMqttActionListener listener) throws MqttException {
        return connect(new MqttConnectOptions(), ctx, listener);
    }

    @Override
    public IMqttToken subscribe(
            String[] filters, int[] qos, Object ctx, IMqttActionListener listener) {
        subscriptions.add(new Subscription(List.of(filters), Arrays.stream(qos).boxed().toList()));
        FakeToken token = FakeToken.granted(qos);
        if (listener != null) {
            listener.onSuccess(token);
        }
        return token;
    }

    @Override
    public IMqttToken subscribe(String[] filters, int[] qos) {
        return subscribe(filters, qos, null, null);
    }

    @Override
    public IMqttToken subscribe(String filter, int qos) {
        return subscribe(new String[] {filter}, new int[] {qos});
    }

    @Override
    public void messageArrivedComplete(int messageId, int qos) throws MqttException {
        if (!connected) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        }
        acknowledged.add(messageId);
    }

    @Override
    public IMqttDeliveryToken publish(String topic, byte[] payload, int qos, boolean retained)
            throws MqttException {
        if (!connected) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        }
        IMqttDeliveryToken token;
        if (inFlightLimit > 0) {
            if (inFlight.get() >= inFlightLimit) {
                throw new MqttException(MqttException.REASON_CODE_MAX_INFLIGHT);
            }
            inFlight.incrementAndGet();
            token = FakeToken.done(inFlight::decrementAndGet);
        } else {
            token = publishOutcome.get();
        }
        published.add(new Publication(topic, payload, qos, retained));
        return token;
    }

    @Override
    public IMqttToken disconnect(long quiesceTimeout) {
        connected = false;
        return FakeToken.done();
    }

    @Override
    public IMqttToken disconnect() {
        return disconnect(0);
    }

    @Override
    public void disconnectForcibly(long quiesceTimeout, long disconnectTimeout) {
        connected = false;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public String getClientId() {
        return clientId;
    }

    @Override
    public String getServerURI() {
        return serverUri;
    }

    @Override
    public void setCallback(MqttCallback callback) {
        this.callback = callback;
    }

    @Override
    public void setManualAcks(boolean manualAcks) {
        this.manualAcks = manualAcks;
    }

    // --- not used by the connectors ---

    @Override
    public IMqttToken disconnect(Object ctx, IMqttActionListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken disconnect(long quiesceTimeout, Object ctx, IMqttActionListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void disconnectForcibly() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void disconnectForcibly(long disconnectTimeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttDeliveryToken publish(
            String topic,
            byte[] payload,
            int qos,
            boolean retained,
            Object ctx,
            IMqttActionListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttDeliveryToken publish(String topic, MqttMessage message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttDeliveryToken publish(
            String topic, MqttMessage message, Object ctx, IMqttActionListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken subscribe(String filter, int qos, Object ctx, IMqttActionListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken subscribe(
            String filter,
            int qos,
            Object ctx,
            IMqttActionListener callback,
            IMqttMessageListener messageListener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken subscribe(String filter, int qos, IMqttMessageListener messageListener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken subscribe(
            String[] filters, int[] qos, IMqttMessageListener[] messageListeners) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken subscribe(
            String[] filters,
            int[] qos,
            Object ctx,
            IMqttActionListener callback,
            IMqttMessageListener[] messageListeners) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken unsubscribe(String filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken unsubscribe(String[] filters) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken unsubscribe(String filter, Object ctx, IMqttActionListener callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttToken unsubscribe(String[] filters, Object ctx, IMqttActionListener callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeMessage(IMqttDeliveryToken token) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IMqttDeliveryToken[] getPendingDeliveryTokens() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reconnect() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setBufferOpts(DisconnectedBufferOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getBufferedMessageCount() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MqttMessage getBufferedMessage(int index) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteBufferedMessage(int index) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getInFlightMessageCount() {
        throw new UnsupportedOperationException();
    }
}
