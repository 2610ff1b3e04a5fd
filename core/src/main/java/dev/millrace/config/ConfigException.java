package dev.millrace.config;

/**
 * A configuration value that cannot be used. The message always names the key (and where its value
 * came from), so that a bad setting is fixed without reading code.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
