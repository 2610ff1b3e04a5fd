package dev.millrace.streams.telemetry;

import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.streams.internal.TaskSensors;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.MalformedFixException;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.RaceRules;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each fix to its race and forwards what the race computes. The race lives in the store as
 * bytes; the decoded race is kept in memory between records, since decoding it for every fix would
 * cost more than the race's own work.
 */
final class RaceProcessor implements Processor<byte[], byte[], Object, Object>, RaceListener {
    private static final Logger log = LoggerFactory.getLogger(RaceProcessor.class);

    private final RaceRules rules;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Race> store;
    private Sensor staleFixes;
    private Sensor malformedFixes;
    private static final byte[] NO_KEY = new byte[0];

    private Record<byte[], byte[]> current;
    // The race of the last record, kept so that a run of one race's fixes decodes its key once.
    private byte[] raceKey;
    private String raceId;

    RaceProcessor(RaceRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(TelemetryTopology.RACE_STORE);
        staleFixes = TaskSensors.rateTotal(context, "telemetry", "stale-fix-dropped");
        malformedFixes = TaskSensors.rateTotal(context, "telemetry", "malformed-fix");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Fix fix;
        try {
            fix = FixJson.parse(record.value());
        } catch (MalformedFixException e) {
            deadLetter(record, e);
            return;
        }
        byte[] key = record.key() == null ? NO_KEY : record.key();
        if (!Arrays.equals(key, raceKey)) {
            raceKey = key;
            raceId = new String(key, StandardCharsets.UTF_8);
        }
        Race race = store.get(raceId);
        if (race == null) {
            race = new Race(rules);
        }
        current = record;
        try {
            if (race.accept(fix, this)) {
                store.put(raceId, race);
            } else {
                staleFixes.record();
            }
        } finally {
            current = null;
        }
    }

    @Override
    public void status(CarStatus status) {
        context.forward(output(status), TelemetryTopology.CAR_STATUS_SINK);
    }

    @Override
    public void event(RaceEvent event) {
        context.forward(output(event), TelemetryTopology.EVENTS_SINK);
    }

    /**
     * An output keyed by race (the input's key bytes), stamped with its input's record time,
     * without input headers.
     */
    private Record<Object, Object> output(Object value) {
        return new Record<>(raceKey, value, current.timestamp(), new RecordHeaders());
    }

    private void deadLetter(Record<byte[], byte[]> record, MalformedFixException error) {
        malformedFixes.record();
        context.forward(
                DeadLetters.branch(log, context, record, error),
                TelemetryTopology.DEAD_LETTER_SINK);
    }

    @Override
    public void close() {
        context.metrics().removeSensor(staleFixes);
        context.metrics().removeSensor(malformedFixes);
    }
}
