package dev.millrace.connect.mqtt.testing;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;

/** A Paho token that is already complete, already failed, or never completes. */
public final class FakeToken implements IMqttDeliveryToken {
    private final boolean complete;
    private final MqttException failure;
    private final int[] grantedQos;
    private final Runnable onCompletion;

    private FakeToken(
            boolean complete, MqttException failure, int[] grantedQos, Runnable onCompletion) {
        this.complete = complete;
        this.failure = failure;
        this.grantedQos = grantedQos;
        this.onCompletion = onCompletion;
    }

    public static FakeToken done() {
        return new FakeToken(true, null, null, () -> {});
    }

    /** Complete; {@code onWait} runs when someone waits for it, as a broker's ack would. */
    public static FakeToken done(Runnable onWait) {
        return new FakeToken(true, null, null, onWait);
    }

    public static FakeToken granted(int[] qos) {
        return new FakeToken(true, null, qos.clone(), () -> {});
    }

    public static FakeToken failed(int reasonCode) {
        return new FakeToken(true, new MqttException(reasonCode), null, () -> {});
    }

    public static FakeToken neverCompletes() {
        return new FakeToken(false, null, null, () -> {});
    }

    @Override
    public void waitForCompletion() throws MqttException {
        waitForCompletion(-1);
    }

    @Override
    public void waitForCompletion(long timeout) throws MqttException {
        if (!complete) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }
        onCompletion.run();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public MqttException getException() {
        return failure;
    }

    @Override
    public int[] getGrantedQos() {
        return grantedQos;
    }

    @Override
    public MqttMessage getMessage() {
        return null;
    }

    @Override
    public void setActionCallback(IMqttActionListener listener) {}

    @Override
    public IMqttActionListener getActionCallback() {
        return null;
    }

    @Override
    public IMqttAsyncClient getClient() {
        return null;
    }

    @Override
    public String[] getTopics() {
        return null;
    }

    @Override
    public void setUserContext(Object userContext) {}

    @Override
    public Object getUserContext() {
        return null;
    }

    @Override
    public int getMessageId() {
        return 0;
    }

    @Override
    public boolean getSessionPresent() {
        return false;
    }

    @Override
    public MqttWireMessage getResponse() {
        return null;
    }
}
