package dev.millrace.connect.mqtt.internal;

import org.eclipse.paho.client.mqttv3.MqttException;

/** Paho failures as one log line, and which of them are worth retrying. */
public final class MqttErrors {
    private MqttErrors() {}

    /**
     * Paho's reason plus the root cause, e.g. "Unable to connect to server (Connection refused)".
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "no reason given";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = failure.getMessage();
        if (message == null) {
            message = failure.getClass().getSimpleName();
        }
        if (root != failure && root.getMessage() != null) {
            message = message + " (" + root.getMessage() + ")";
        }
        return message;
    }

    /**
     * Whether the broker refused who we are, which waiting does not fix: bad credentials, a refused
     * client id or protocol version.
     */
    public static boolean isRefusal(MqttException e) {
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION,
                    MqttException.REASON_CODE_INVALID_CLIENT_ID,
                    MqttException.REASON_CODE_FAILED_AUTHENTICATION,
                    MqttException.REASON_CODE_NOT_AUTHORIZED ->
                    true;
            default -> false;
        };
    }
}
