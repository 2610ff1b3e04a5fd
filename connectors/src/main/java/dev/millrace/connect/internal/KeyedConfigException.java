package dev.millrace.connect.internal;

import org.apache.kafka.common.config.ConfigException;

/**
 * A configuration error that remembers which key it is about, so a connector's {@code validate} can
 * attach a rule spanning several keys to the key the user has to change.
 */
public final class KeyedConfigException extends ConfigException {
    private final String key;

    public KeyedConfigException(String key, Object value, String message) {
        super(key, value, message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
