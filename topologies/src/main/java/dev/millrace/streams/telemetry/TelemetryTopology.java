package dev.millrace.streams.telemetry;

import dev.millrace.streams.TopicSpec;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceRules;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Race telemetry: car fixes in, speeds, positions, overtakes and laps out.
 *
 * <p>Input: {@code telemetry.car-coordinates}, keyed by race, so that one race's fixes are read in
 * the order they arrived. Output: {@code telemetry.car-status} (SPEED and POSITION) and {@code
 * telemetry.events} (overtakes, laps, fastest laps), keyed by race; a fix that is not one goes to
 * {@code telemetry.dlq} with its reason. State: one {@link dev.millrace.telemetry.Race} per race in
 * {@value #RACE_STORE}, backed by a changelog. Guarantees: exactly-once (the runner's v2), and the
 * outputs depend only on the input log, so a replay from the start reproduces them.
 */
public final class TelemetryTopology {
    public static final String APPLICATION_ID = "millrace-telemetry";
    public static final String RACE_STORE = "telemetry-race-store";

    public static final TopicSpec<byte[], byte[]> CAR_COORDINATES =
            dev.millrace.streams.Topics.TELEMETRY_CAR_COORDINATES;
    public static final TopicSpec<String, CarStatus> CAR_STATUS =
            dev.millrace.streams.Topics.TELEMETRY_CAR_STATUS;
    public static final TopicSpec<String, RaceEvent> EVENTS =
            dev.millrace.streams.Topics.TELEMETRY_EVENTS;
    public static final TopicSpec<byte[], byte[]> DEAD_LETTERS =
            dev.millrace.streams.Topics.TELEMETRY_DLQ;

    static final String SOURCE = "car-coordinates-source";
    static final String RACE = "race-processor";
    static final String CAR_STATUS_SINK = "car-status-sink";
    static final String EVENTS_SINK = "events-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** The names of the topology's topics; another set lets a benchmark run on fresh topics. */
    public record Topics(
            String carCoordinates, String carStatus, String events, String deadLetters) {
        public static final Topics CATALOG =
                new Topics(
                        CAR_COORDINATES.name(),
                        CAR_STATUS.name(),
                        EVENTS.name(),
                        DEAD_LETTERS.name());
    }

    // Outputs carry their input's key bytes, the race id in UTF-8: what the String serde reads.
    private static final Serializer<byte[]> RACE_KEY = Serdes.ByteArray().serializer();

    private final RaceRules rules;
    private final Topics topics;

    public TelemetryTopology(RaceRules rules) {
        this(rules, Topics.CATALOG);
    }

    public TelemetryTopology(RaceRules rules, Topics topics) {
        this.rules = rules;
        this.topics = topics;
    }

    public Topology build() {
        Topology topology = new Topology();
        topology.addSource(
                SOURCE,
                CAR_COORDINATES.keySerde().deserializer(),
                CAR_COORDINATES.valueSerde().deserializer(),
                topics.carCoordinates());
        topology.addProcessor(RACE, () -> new RaceProcessor(rules), SOURCE);
        // The store's cache takes every write and passes only the last one per race to the
        // changelog at each commit.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(RACE_STORE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                RACE);
        topology.addSink(
                CAR_STATUS_SINK,
                topics.carStatus(),
                RACE_KEY,
                CAR_STATUS.valueSerde().serializer(),
                RACE);
        topology.addSink(
                EVENTS_SINK, topics.events(), RACE_KEY, EVENTS.valueSerde().serializer(), RACE);
        topology.addSink(
                DEAD_LETTER_SINK,
                topics.deadLetters(),
                DEAD_LETTERS.keySerde().serializer(),
                DEAD_LETTERS.valueSerde().serializer(),
                RACE);
        return topology;
    }
}
