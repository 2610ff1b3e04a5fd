package dev.millrace.connect.internal;

import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.config.Config;

/** Adds the rules that span several keys to the per-key result of {@code Connector.validate}. */
public final class ConnectorValidation {
    private ConnectorValidation() {}

    /**
     * Runs {@code parse} once every key is valid on its own, and reports a {@link
     * KeyedConfigException} on the key it names, so the REST API refuses the config before any task
     * starts.
     */
    public static Config withCrossKeyRules(
            Config perKey, Map<String, String> props, Consumer<Map<String, String>> parse) {
        boolean perKeyValid =
                perKey.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!perKeyValid) {
            return perKey;
        }
        try {
            parse.accept(props);
        } catch (KeyedConfigException e) {
            perKey.configValues().stream()
                    .filter(v -> v.name().equals(e.key()))
                    .findFirst()
                    .ifPresent(v -> v.addErrorMessage(e.getMessage()));
        }
        return perKey;
    }
}
