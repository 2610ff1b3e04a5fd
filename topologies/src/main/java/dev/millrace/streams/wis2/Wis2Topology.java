package dev.millrace.streams.wis2;

import dev.millrace.wis2.Wis2Dedupe;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Global Cache's deduplication: every WIS2 notification from every upstream broker in, at most
 * one fetch per (data_id, pubtime) out.
 *
 * <p>Input: {@code wis2.notifications} (keyed by data_id, the MQTT topic in header {@code
 * mqtt.topic}) and {@code wis2.fetch-results} (how each fetch ended, keyed by data_id). Output:
 * {@code wis2.fetch-requests} for the cache step (which fetches, or for {@code cache: false}
 * republishes at once) and {@code wis2.dlq} for messages that are not notifications. State: the ids
 * seen in {@value #SEEN_STORE} and one ledger per data_id in {@value #LEDGER_STORE}, both
 * changelogged and expired after {@code wis2.dedupe.retention} of stream time. Guarantees:
 * exactly-once, and a pair is marked processed only when its fetch result says it was cached.
 */
public final class Wis2Topology {
    public static final String APPLICATION_ID = "millrace-wis2";
    public static final String SEEN_STORE = "wis2-seen-ids-store";
    public static final String LEDGER_STORE = "wis2-ledger-store";

    /** The header carrying the MQTT topic a message arrived on, or is to be published on. */
    public static final String TOPIC_HEADER = "mqtt.topic";

    static final String NOTIFICATIONS_SOURCE = "notifications-source";
    static final String FETCH_RESULTS_SOURCE = "fetch-results-source";
    static final String DEDUPE = "dedupe-processor";
    static final String FETCH_RESULTS = "fetch-results-processor";
    static final String FETCH_REQUESTS_SINK = "fetch-requests-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** The names of the topology's topics. */
    public record Topics(
            String notifications, String fetchResults, String fetchRequests, String deadLetters) {
        public static final Topics CATALOG =
                new Topics(
                        dev.millrace.streams.Topics.WIS2_NOTIFICATIONS.name(),
                        dev.millrace.streams.Topics.WIS2_FETCH_RESULTS.name(),
                        dev.millrace.streams.Topics.WIS2_FETCH_REQUESTS.name(),
                        dev.millrace.streams.Topics.WIS2_DLQ.name());
    }

    private final String centreId;
    private final Duration retention;
    private final Topics topics;

    public Wis2Topology(String centreId, Duration retention) {
        this(centreId, retention, Topics.CATALOG);
    }

    public Wis2Topology(String centreId, Duration retention, Topics topics) {
        this.centreId = centreId;
        this.retention = retention;
        this.topics = topics;
    }

    public Topology build() {
        Topology topology = new Topology();
        topology.addSource(
                NOTIFICATIONS_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                topics.notifications());
        topology.addSource(
                FETCH_RESULTS_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                topics.fetchResults());
        Wis2Dedupe dedupe = new Wis2Dedupe(centreId, retention);
        topology.addProcessor(DEDUPE, () -> new DedupeProcessor(dedupe), NOTIFICATIONS_SOURCE);
        topology.addProcessor(
                FETCH_RESULTS, () -> new FetchResultProcessor(dedupe), FETCH_RESULTS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(SEEN_STORE), Serdes.String(), Serdes.Long()),
                DEDUPE,
                FETCH_RESULTS);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(LEDGER_STORE),
                        Serdes.String(),
                        Serdes.ByteArray()),
                DEDUPE,
                FETCH_RESULTS);
        topology.addSink(
                FETCH_REQUESTS_SINK,
                topics.fetchRequests(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(),
                DEDUPE,
                FETCH_RESULTS);
        topology.addSink(
                DEAD_LETTER_SINK,
                topics.deadLetters(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(),
                DEDUPE);
        return topology;
    }
}
