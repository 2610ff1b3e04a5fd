package dev.millrace.streams.telemetry;

import dev.millrace.streams.internal.DeadLetters;
import dev.millrace.streams.internal.TaskSensors;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.FinishLine;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.MalformedFixException;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceCodec;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.RaceRules;
import dev.millrace.telemetry.TelemetrySettings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
 * bytes, written after every fix; the store's cache passes only the last write of each race to the
 * changelog, at the commit. The decoded races are kept in memory between records, since decoding a
 * race for every fix would cost more than the race's own work; they are dropped whenever the task
 * is initialised again, so that a task revived after a failure reads its races from the store.
 */
final class RaceProcessor implements Processor<byte[], byte[], Object, Object>, RaceListener {
    private static final Logger log = LoggerFactory.getLogger(RaceProcessor.class);

    private final RaceRules rules;
    private ProcessorContext<Object, Object> context;
    private final RaceCodec codec;
    private final Map<String, Race> races = new HashMap<>();
    private KeyValueStore<String, byte[]> store;
    private Sensor staleFixes;
    private Sensor malformedFixes;
    private static final byte[] NO_KEY = new byte[0];

    private Record<byte[], byte[]> current;
    // The race of the last record, kept so that a run of one race's fixes decodes its key once.
    private byte[] raceKey;
    private String raceId;

    RaceProcessor(RaceRules rules) {
        this.rules = rules;
        this.codec = new RaceCodec(rules);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(TelemetryTopology.RACE_STORE);
        races.clear();
        staleFixes = TaskSensors.rateTotal(context, "telemetry", "stale-fix-dropped");
        malformedFixes = TaskSensors.rateTotal(context, "telemetry", "malformed-fix");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Fix fix;
        try {
            fix = rules.fix(record.value(), record.timestamp());
        } catch (MalformedFixException e) {
            deadLetter(record, e);
            return;
        }
        byte[] key = record.key() == null ? NO_KEY : record.key();
        if (!Arrays.equals(key, raceKey)) {
            raceKey = key;
            raceId = new String(key, StandardCharsets.UTF_8);
        }
        Race race = races.get(raceId);
        if (race == null) {
            byte[] stored = store.get(raceId);
            race = stored == null ? new Race(rules) : codec.decode(stored);
            races.put(raceId, race);
        }
        current = record;
        try {
            if (race.accept(fix, this)) {
                store.put(raceId, codec.encode(race));
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
    public void finishLinePlaced(FinishLine line, long timestamp) {
        log.info(
                "race {}: start/finish line placed at {} through its first fix ({} unset)",
                raceId,
                line,
                TelemetrySettings.FINISH_LINE.name());
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
        races.clear();
        context.metrics().removeSensor(staleFixes);
        context.metrics().removeSensor(malformedFixes);
    }
}
