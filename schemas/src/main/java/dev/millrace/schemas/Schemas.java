package dev.millrace.schemas;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of every topic value, MQTT payload and HTTP body, loaded from this jar.
 *
 * <p>Producers and consumers in other modules validate against the same files the contract tests
 * check, so a message format cannot drift between the documentation and the code. Each schema's
 * {@code $id} is a {@value #ID_PREFIX} URL, mapped to the classpath: resolving a schema or a {@code
 * $ref} between schemas never touches the network. Formats ({@code uuid}, {@code date-time}, ...)
 * are asserted, not merely annotated, because the contracts rely on them.
 *
 * <p>Validators are compiled once per name and are thread-safe.
 */
public final class Schemas {

    /** Prefix of every schema {@code $id}; the rest is {@code <pipeline>/<name>.schema.json}. */
    public static final String ID_PREFIX = "https://millrace.dev/schemas/";

    private static final List<String> NAMES =
            List.of(
                    "audit/archive-result",
                    "audit/event",
                    "audit/final-state",
                    "audit/message-accepted",
                    "audit/message-record",
                    "audit/message-request",
                    "audit/metadata",
                    "audit/problem",
                    "dashboard/snapshot",
                    "telemetry/car-coordinates",
                    "telemetry/car-status",
                    "telemetry/event",
                    "wis2/cache-notification",
                    "wis2/fetch-request",
                    "wis2/fetch-result",
                    "wis2/notification");

    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(
                    SpecVersion.VersionFlag.V202012,
                    builder ->
                            builder.schemaMappers(
                                    mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));

    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH)
                    .build();

    private static final Map<String, JsonValidator> CACHE = new ConcurrentHashMap<>();

    private Schemas() {}

    /** Every schema name, e.g. {@code telemetry/car-coordinates}, sorted. */
    public static List<String> names() {
        return NAMES;
    }

    /** The {@code $id} of the named schema. */
    public static String id(String name) {
        return ID_PREFIX + name + ".schema.json";
    }

    /**
     * The validator for the named schema, e.g. {@code wis2/notification}.
     *
     * @throws IllegalArgumentException if there is no such schema
     */
    public static JsonValidator get(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown schema '" + name + "'; known schemas: " + NAMES);
        }
        return CACHE.computeIfAbsent(name, Schemas::load);
    }

    private static JsonValidator load(String name) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(id(name)), CONFIG);
        schema.initializeValidators();
        return new JsonValidator(name, schema);
    }
}
