package dev.millrace.streams;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.catalog.TopicDefinition;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.CarStatusJson;
import dev.millrace.telemetry.RaceEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic the Streams applications read or write, as a {@link TopicSpec}: the catalog's name
 * and the serdes of its keys and values. Topologies and their tests take them from here.
 */
public final class Topics {
    private Topics() {}

    public static final TopicSpec<byte[], byte[]> TELEMETRY_CAR_COORDINATES =
            bytes(TopicCatalog.TELEMETRY_CAR_COORDINATES);

    /** Written by hand (see {@link CarStatusJson}), read with the shared mapper. */
    public static final TopicSpec<String, CarStatus> TELEMETRY_CAR_STATUS =
            TopicSpec.of(
                    TopicCatalog.TELEMETRY_CAR_STATUS,
                    Serdes.String(),
                    Serdes.serdeFrom(
                            (topic, status) -> status == null ? null : CarStatusJson.write(status),
                            JsonSerde.of(CarStatus.class).deserializer()));

    public static final TopicSpec<String, RaceEvent> TELEMETRY_EVENTS =
            TopicSpec.of(
                    TopicCatalog.TELEMETRY_EVENTS, Serdes.String(), JsonSerde.of(RaceEvent.class));

    public static final TopicSpec<byte[], byte[]> TELEMETRY_DLQ = bytes(TopicCatalog.TELEMETRY_DLQ);

    /** WIS2 notifications as received, keyed by data_id; the MQTT topic in a header. */
    public static final TopicSpec<byte[], byte[]> WIS2_NOTIFICATIONS =
            bytes(TopicCatalog.WIS2_NOTIFICATIONS);

    public static final TopicSpec<byte[], byte[]> WIS2_FETCH_REQUESTS =
            bytes(TopicCatalog.WIS2_FETCH_REQUESTS);
    public static final TopicSpec<byte[], byte[]> WIS2_FETCH_RESULTS =
            bytes(TopicCatalog.WIS2_FETCH_RESULTS);
    public static final TopicSpec<byte[], byte[]> WIS2_CACHE_NOTIFICATIONS =
            bytes(TopicCatalog.WIS2_CACHE_NOTIFICATIONS);
    public static final TopicSpec<byte[], byte[]> WIS2_DLQ = bytes(TopicCatalog.WIS2_DLQ);

    public static final TopicSpec<byte[], byte[]> AUDIT_MESSAGES =
            bytes(TopicCatalog.AUDIT_MESSAGES);
    public static final TopicSpec<byte[], byte[]> AUDIT_ARCHIVE_RESULTS =
            bytes(TopicCatalog.AUDIT_ARCHIVE_RESULTS);

    /** Compacted: the latest metadata per message id. */
    public static final TopicSpec<String, byte[]> AUDIT_METADATA =
            TopicSpec.of(TopicCatalog.AUDIT_METADATA, Serdes.String(), Serdes.ByteArray());

    public static final TopicSpec<byte[], byte[]> AUDIT_FINAL_STATE =
            bytes(TopicCatalog.AUDIT_FINAL_STATE);
    public static final TopicSpec<byte[], byte[]> AUDIT_EVENTS = bytes(TopicCatalog.AUDIT_EVENTS);
    public static final TopicSpec<byte[], byte[]> AUDIT_DLQ = bytes(TopicCatalog.AUDIT_DLQ);

    private static TopicSpec<byte[], byte[]> bytes(TopicDefinition topic) {
        Serde<byte[]> serde = Serdes.ByteArray();
        return TopicSpec.of(topic, serde, serde);
    }
}
