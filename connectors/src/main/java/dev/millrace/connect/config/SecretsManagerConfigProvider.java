package dev.millrace.connect.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * A Kafka {@link ConfigProvider} that reads secrets from AWS Secrets Manager, so that connector
 * configs can say {@code ${secretsmanager:<secret name>:<field>}} instead of holding the value. A
 * worker declares it as {@code config.providers=secretsmanager}, {@code
 * config.providers.secretsmanager.class=}this class and {@code
 * config.providers.secretsmanager.param.region=<region>}.
 *
 * <p>A secret whose text is a JSON object gives one value per field: strings as they are, other
 * values as their JSON text; a field that is JSON {@code null} counts as absent. A secret whose
 * text is anything else (plain text, a JSON array or scalar, or not JSON at all) gives its whole
 * text under the empty field: {@code ${secretsmanager:<secret name>:}}. A secret that holds only
 * binary data cannot be used.
 *
 * <p>A full ARN has colons, which Connect's reference syntax splits on: the worker asks for path
 * {@code arn} and key {@code aws:secretsmanager:...:secret:<name>:<field>}. Such a request is read
 * as the ARN and the field after its last part, so {@code
 * ${secretsmanager:arn:aws:secretsmanager:<region>:<account>:secret:<name>:<field>}} works too.
 *
 * <p>Values are cached for {@value #TTL_MS_CONFIG} and the time left is returned as the {@link
 * ConfigData#ttl()}, on which Connect restarts the connectors that use them, reading the secret
 * again. No value ever appears in a log line or an exception message; names of secrets and fields
 * do. Credentials come from the AWS SDK's default chain (on MSK Connect, the connector's service
 * execution role).
 */
public final class SecretsManagerConfigProvider implements ConfigProvider {
    public static final String REGION_CONFIG = "region";
    public static final String ENDPOINT_CONFIG = "endpoint";
    public static final String TTL_MS_CONFIG = "ttl.ms";

    /** The field under which a secret that is not a JSON object gives its whole text. */
    public static final String WHOLE_SECRET = "";

    static final long DEFAULT_TTL_MS = Duration.ofHours(1).toMillis();

    public static final ConfigDef CONFIG_DEF =
            new ConfigDef()
                    .define(
                            REGION_CONFIG,
                            Type.STRING,
                            null,
                            Importance.HIGH,
                            "AWS region of Secrets Manager, like eu-west-1. Unset, the AWS SDK's"
                                    + " default region chain is used (aws.region, AWS_REGION, the"
                                    + " profile, the instance metadata).")
                    .define(
                            ENDPOINT_CONFIG,
                            Type.STRING,
                            null,
                            Importance.LOW,
                            "URL of the Secrets Manager endpoint, like https://<VPC endpoint DNS"
                                    + " name> or http://127.0.0.1:4566 in tests. Unset, the"
                                    + " region's endpoint is used.")
                    .define(
                            TTL_MS_CONFIG,
                            Type.LONG,
                            DEFAULT_TTL_MS,
                            Range.atLeast(1000),
                            Importance.MEDIUM,
                            "How long a secret read is reused, in milliseconds. The time left is"
                                    + " returned to Connect, which restarts the connectors using"
                                    + " the secret when it runs out (unless a connector sets"
                                    + " config.action.reload=none), so a rotated value is picked"
                                    + " up within this time.");

    private static final Logger log = LoggerFactory.getLogger(SecretsManagerConfigProvider.class);

    /** What follows {@code arn:} in a secret's ARN, then {@code :<field>}. */
    private static final Pattern ARN_AND_FIELD =
            Pattern.compile("(aws[a-z-]*:secretsmanager:[^:]*:[^:]*:secret:[^:]+):(.*)");

    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private SecretsManagerClient client;
    private Duration ttl;

    public SecretsManagerConfigProvider() {
        this(Clock.systemUTC());
    }

    /** For tests: the clock that ages cached secrets. */
    SecretsManagerConfigProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs, false);
        ttl = Duration.ofMillis(config.getLong(TTL_MS_CONFIG));
        SecretsManagerClientBuilder builder =
                SecretsManagerClient.builder().region(region(config.getString(REGION_CONFIG)));
        String endpoint = config.getString(ENDPOINT_CONFIG);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(endpoint(endpoint));
        }
        // No credentials provider set: the client owns (and closes) the SDK's default chain.
        client = withOwnClassLoader(builder::build);
    }

    /**
     * Runs {@code action} with this plugin's class loader as the thread's context loader, where the
     * SDK looks up its HTTP client and protocol classes. A worker calls {@code get} from its own
     * threads with its own loader, which does not see the plugin's libraries.
     */
    private static <T> T withOwnClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SecretsManagerConfigProvider.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Region region(String region) {
        if (region != null && !region.isBlank()) {
            return Region.of(region.strip());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw new ConfigException(
                    REGION_CONFIG,
                    null,
                    "no region given and the AWS SDK's default region chain found none; set"
                            + " config.providers.<name>.param."
                            + REGION_CONFIG);
        }
    }

    private static URI endpoint(String endpoint) {
        try {
            URI uri = URI.create(endpoint.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // Reported below.
        }
        throw new ConfigException(ENDPOINT_CONFIG, endpoint, "must be an http or https URL");
    }

    /** Every field of the secret {@code path}, or its whole text under {@value #WHOLE_SECRET}. */
    @Override
    public ConfigData get(String path) {
        Cached secret = secret(path, Set.of());
        return new ConfigData(secret.fields(), secret.millisLeft(clock.instant()));
    }

    /** The given fields of the secret {@code path}; see the class doc for full ARNs. */
    @Override
    public ConfigData get(String path, Set<String> keys) {
        Instant now = clock.instant();
        Map<String, String> data = new HashMap<>();
        Long ttlLeft = null;
        Map<String, Map<String, String>> fieldsBySecret = new LinkedHashMap<>();
        keys.forEach(
                key -> {
                    Reference reference = Reference.of(path, key);
                    fieldsBySecret
                            .computeIfAbsent(reference.secretId(), id -> new LinkedHashMap<>())
                            .put(key, reference.field());
                });
        for (Map.Entry<String, Map<String, String>> bySecret : fieldsBySecret.entrySet()) {
            String secretId = bySecret.getKey();
            Cached secret = secret(secretId, new TreeSet<>(bySecret.getValue().values()));
            for (Map.Entry<String, String> keyAndField : bySecret.getValue().entrySet()) {
                data.put(keyAndField.getKey(), secret.field(secretId, keyAndField.getValue()));
            }
            long left = secret.millisLeft(now);
            ttlLeft = ttlLeft == null ? left : Math.min(ttlLeft, left);
        }
        return new ConfigData(data, ttlLeft);
    }

    private Cached secret(String secretId, Set<String> fields) {
        if (secretId == null || secretId.isBlank()) {
            throw new ConfigException(
                    "A Secrets Manager reference names no secret (fields "
                            + fields
                            + "): write ${<provider>:<secret name or ARN>:<field>}");
        }
        Instant now = clock.instant();
        Cached cached = cache.get(secretId);
        if (cached == null || !now.isBefore(cached.expires())) {
            cached = read(secretId, fields, now.plus(ttl));
            cache.put(secretId, cached);
            log.info(
                    "Read secret {} from Secrets Manager ({}), reused for {} ms",
                    secretId,
                    cached.object() ? "fields: " + cached.fields().size() : "plain text",
                    ttl.toMillis());
        }
        return cached;
    }

    private Cached read(String secretId, Set<String> fields, Instant expires) {
        if (client == null) {
            throw new IllegalStateException("configure was not called");
        }
        GetSecretValueResponse response;
        try {
            response =
                    withOwnClassLoader(
                            () -> client.getSecretValue(request -> request.secretId(secretId)));
        } catch (ResourceNotFoundException e) {
            throw new ConfigException(
                    describe(secretId, fields) + ": Secrets Manager has no such secret");
        } catch (AwsServiceException e) {
            // AWS error messages name the secret and the caller, never its value.
            throw new ConfigException(
                    describe(secretId, fields)
                            + ": Secrets Manager refused the read ("
                            + e.awsErrorDetails().errorCode()
                            + ": "
                            + e.awsErrorDetails().errorMessage()
                            + ")");
        } catch (SdkException e) {
            throw new ConfigException(
                    describe(secretId, fields)
                            + ": Secrets Manager unreachable: "
                            + e.getMessage());
        }
        String text = response.secretString();
        if (text == null) {
            throw new ConfigException(
                    describe(secretId, fields) + ": the secret holds binary data, not text");
        }
        Map<String, String> object = fieldsOf(text);
        return object == null
                ? new Cached(Map.of(WHOLE_SECRET, text), false, expires)
                : new Cached(object, true, expires);
    }

    /**
     * The fields of a JSON object, else null. A parse error is never reported: Jackson's messages
     * quote the text they could not read.
     */
    private static Map<String, String> fieldsOf(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (!value.isNull()) {
                fields.put(
                        field.getKey(), value.isTextual() ? value.textValue() : value.toString());
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    private static String describe(String secretId, Set<String> fields) {
        String names =
                fields.isEmpty()
                        ? "its fields"
                        : (fields.size() == 1 ? "field " : "fields ")
                                + String.join(", ", quoted(fields));
        return "Cannot resolve " + names + " of secret '" + secretId + "'";
    }

    private static Set<String> quoted(Set<String> names) {
        Set<String> quoted = new TreeSet<>();
        names.forEach(name -> quoted.add("'" + name + "'"));
        return quoted;
    }

    @Override
    public void close() {
        cache.clear();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Which secret and which of its fields a key asks for. */
    private record Reference(String secretId, String field) {
        static Reference of(String path, String key) {
            if ("arn".equals(path)) {
                Matcher arn = ARN_AND_FIELD.matcher(key);
                if (arn.matches()) {
                    return new Reference("arn:" + arn.group(1), arn.group(2));
                }
            }
            return new Reference(path, key);
        }
    }

    /**
     * A secret's fields (a JSON object's, or its whole text under {@value #WHOLE_SECRET}), reused
     * until {@code expires}.
     */
    private record Cached(Map<String, String> fields, boolean object, Instant expires) {
        long millisLeft(Instant now) {
            return Math.max(0, Duration.between(now, expires).toMillis());
        }

        String field(String secretId, String field) {
            String value = fields.get(field);
            if (value != null) {
                return value;
            }
            String why =
                    object
                            ? "the secret has no such field (it has "
                                    + String.join(", ", quoted(fields.keySet()))
                                    + ")"
                            : "the secret is not a JSON object; refer to its whole text with an"
                                    + " empty field, ${<provider>:"
                                    + secretId
                                    + ":}";
            throw new ConfigException(describe(secretId, Set.of(field)) + ": " + why);
        }
    }
}
