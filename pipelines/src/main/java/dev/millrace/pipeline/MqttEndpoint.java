package dev.millrace.pipeline;

import dev.millrace.config.ConfigException;
import dev.millrace.connect.mqtt.MqttConnectionConfig;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An MQTT broker a connector connects to, with the credentials it connects with.
 *
 * @param url {@code tcp://host:port} or {@code ssl://host:port}, without credentials
 * @param username null for an anonymous connection
 * @param password null without a username
 */
public record MqttEndpoint(String url, String username, String password) {

    public static MqttEndpoint anonymous(String url) {
        return new MqttEndpoint(url, null, null);
    }

    /**
     * A broker given as {@code scheme://[user[:password]@]host:port}, credentials URL-encoded.
     *
     * @throws ConfigException naming {@code key} when the URL is not of that form
     */
    public static MqttEndpoint parse(String url, String key) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value for key " + key + ": " + url);
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new ConfigException(
                    "bad value for key " + key + ": '" + url + "' is not scheme://host:port");
        }
        String plain = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        if (uri.getRawUserInfo() == null) {
            return anonymous(plain);
        }
        String[] credentials = uri.getRawUserInfo().split(":", 2);
        return new MqttEndpoint(
                plain,
                URLDecoder.decode(credentials[0], StandardCharsets.UTF_8),
                credentials.length > 1
                        ? URLDecoder.decode(credentials[1], StandardCharsets.UTF_8)
                        : null);
    }

    /** The connector settings that reach this broker as this user. */
    public Map<String, String> connectorConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(MqttConnectionConfig.BROKER_URLS, url);
        if (username != null) {
            config.put(MqttConnectionConfig.USERNAME, username);
        }
        if (password != null) {
            config.put(MqttConnectionConfig.PASSWORD, password);
        }
        return config;
    }

    @Override
    public String toString() {
        return username == null ? url : url + " as " + username;
    }
}
