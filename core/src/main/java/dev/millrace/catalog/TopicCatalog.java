package dev.millrace.catalog;

import dev.millrace.catalog.TopicDefinition.CleanupPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every topic millrace uses, declared once. The local stack and {@code millrace topics} create them
 * idempotently; topologies and connectors refer to them by these names. Topic names are {@code
 * <pipeline>.<name>}; each pipeline dead-letters to {@code <pipeline>.dlq}.
 */
public final class TopicCatalog {
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    // Telemetry
    public static final TopicDefinition TELEMETRY_CAR_COORDINATES =
            delete(
                    "telemetry.car-coordinates",
                    3,
                    null,
                    "Car fixes from MQTT carCoordinates, keyed by race; kept forever as the"
                            + " replayable source of truth.");
    public static final TopicDefinition TELEMETRY_CAR_STATUS =
            delete(
                    "telemetry.car-status",
                    3,
                    WEEK,
                    "SPEED and POSITION per car, republished on MQTT carStatus.");
    public static final TopicDefinition TELEMETRY_EVENTS =
            delete(
                    "telemetry.events",
                    3,
                    WEEK,
                    "Overtakes, laps and fastest laps, republished on MQTT events.");
    public static final TopicDefinition TELEMETRY_DLQ = dlq("telemetry");
    public static final TopicDefinition TELEMETRY_DLQ_REDRIVES = redrives("telemetry");

    // WIS2 Global Cache
    public static final TopicDefinition WIS2_NOTIFICATIONS =
            delete(
                    "wis2.notifications",
                    6,
                    WEEK,
                    "WIS2 notification messages from every upstream broker, with their MQTT"
                            + " topic.");
    public static final TopicDefinition WIS2_CACHE_NOTIFICATIONS =
            delete(
                    "wis2.cache-notifications",
                    6,
                    WEEK,
                    "Cache notifications to republish on cache/a/wis2/...");
    public static final TopicDefinition WIS2_FETCH_REQUESTS =
            delete(
                    "wis2.fetch-requests",
                    6,
                    WEEK,
                    "Notifications whose data the cache step is to fetch, keyed by data_id: at"
                            + " most one in flight per data_id.");
    public static final TopicDefinition WIS2_FETCH_RESULTS =
            delete(
                    "wis2.fetch-results",
                    6,
                    WEEK,
                    "Whether each fetch cached its data, keyed by data_id, back to the dedupe"
                            + " ledger.");
    public static final TopicDefinition WIS2_DLQ = dlq("wis2");
    public static final TopicDefinition WIS2_DLQ_REDRIVES = redrives("wis2");

    // Audit
    public static final TopicDefinition AUDIT_MESSAGES =
            delete(
                    "audit.messages",
                    6,
                    WEEK,
                    "Accepted audit records (payload inline or as an S3 claim check), keyed by"
                            + " messageID.");
    public static final TopicDefinition AUDIT_ARCHIVE_RESULTS =
            delete(
                    "audit.archive-results",
                    6,
                    WEEK,
                    "What the S3 sink wrote for each audit record (archived or salvaged), keyed by"
                            + " messageID on the record's partition.");
    public static final TopicDefinition AUDIT_METADATA =
            new TopicDefinition(
                    "audit.metadata",
                    6,
                    CleanupPolicy.COMPACT,
                    Optional.empty(),
                    "Audit metadata and state, keyed by messageID; compacted, the latest per"
                            + " message is kept.",
                    Map.of("min.compaction.lag.ms", "60000"));
    public static final TopicDefinition AUDIT_FINAL_STATE =
            delete("audit.final-state", 6, MONTH, "Exactly one final state per audit record.");
    public static final TopicDefinition AUDIT_EVENTS =
            delete("audit.events", 6, WEEK, "Audit progress events.");
    public static final TopicDefinition AUDIT_DLQ = dlq("audit");
    public static final TopicDefinition AUDIT_DLQ_REDRIVES = redrives("audit");

    // Kafka Connect's own state, so connectors resume after a restart.
    public static final TopicDefinition CONNECT_CONFIGS =
            compact("millrace.connect-configs", 1, "Kafka Connect connector configurations.");
    public static final TopicDefinition CONNECT_OFFSETS =
            compact("millrace.connect-offsets", 5, "Kafka Connect source offsets.");
    public static final TopicDefinition CONNECT_STATUS =
            compact("millrace.connect-status", 3, "Kafka Connect connector and task status.");

    public static final List<TopicDefinition> ALL =
            List.of(
                    TELEMETRY_CAR_COORDINATES,
                    TELEMETRY_CAR_STATUS,
                    TELEMETRY_EVENTS,
                    TELEMETRY_DLQ,
                    TELEMETRY_DLQ_REDRIVES,
                    WIS2_NOTIFICATIONS,
                    WIS2_CACHE_NOTIFICATIONS,
                    WIS2_FETCH_REQUESTS,
                    WIS2_FETCH_RESULTS,
                    WIS2_DLQ,
                    WIS2_DLQ_REDRIVES,
                    AUDIT_MESSAGES,
                    AUDIT_ARCHIVE_RESULTS,
                    AUDIT_METADATA,
                    AUDIT_FINAL_STATE,
                    AUDIT_EVENTS,
                    AUDIT_DLQ,
                    AUDIT_DLQ_REDRIVES,
                    CONNECT_CONFIGS,
                    CONNECT_OFFSETS,
                    CONNECT_STATUS);

    private static final Map<String, TopicDefinition> BY_NAME = index();

    private TopicCatalog() {}

    public static Optional<TopicDefinition> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The dead-letter topic of a pipeline. */
    public static TopicDefinition dlqOf(String pipeline) {
        return find(pipeline + ".dlq")
                .orElseThrow(() -> new IllegalArgumentException("no such pipeline: " + pipeline));
    }

    /**
     * Which of a pipeline's dead letters went back to their source topic ({@code millrace dlq}).
     */
    public static TopicDefinition redrivesOf(String pipeline) {
        return find(pipeline + ".dlq-redrives")
                .orElseThrow(() -> new IllegalArgumentException("no such pipeline: " + pipeline));
    }

    private static Map<String, TopicDefinition> index() {
        Map<String, TopicDefinition> byName = new LinkedHashMap<>();
        for (TopicDefinition topic : ALL) {
            if (byName.put(topic.name(), topic) != null) {
                throw new IllegalStateException("topic declared twice: " + topic.name());
            }
        }
        return byName;
    }

    private static TopicDefinition delete(
            String name, int partitions, Duration retention, String description) {
        return new TopicDefinition(
                name,
                partitions,
                CleanupPolicy.DELETE,
                Optional.ofNullable(retention),
                description,
                Map.of());
    }

    private static TopicDefinition compact(String name, int partitions, String description) {
        return new TopicDefinition(
                name, partitions, CleanupPolicy.COMPACT, Optional.empty(), description, Map.of());
    }

    private static TopicDefinition dlq(String pipeline) {
        return delete(
                pipeline + ".dlq",
                1,
                MONTH,
                "Dead letters of the "
                        + pipeline
                        + " pipeline, with headers naming source topic, partition, offset and"
                        + " error.");
    }

    private static TopicDefinition redrives(String pipeline) {
        return delete(
                pipeline + ".dlq-redrives",
                1,
                MONTH,
                "Which dead letters of the "
                        + pipeline
                        + " pipeline went back to their source topic, keyed by dead-letter topic,"
                        + " partition and offset, written in the redrive's transaction.");
    }
}
