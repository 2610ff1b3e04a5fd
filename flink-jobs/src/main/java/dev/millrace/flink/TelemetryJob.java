package dev.millrace.flink;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.FlinkSettings;
import dev.millrace.json.Json;
import dev.millrace.telemetry.CarStatus;
import dev.millrace.telemetry.CarStatusJson;
import dev.millrace.telemetry.FinishLine;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.MalformedFixException;
import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceCodec;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.RaceListener;
import dev.millrace.telemetry.RaceRules;
import dev.millrace.telemetry.TelemetrySettings;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Race telemetry on Flink, the same rules as the Streams topology: car fixes in, keyed by race;
 * speeds and positions to {@code telemetry.car-status}, overtakes and laps to {@code
 * telemetry.events}, keyed by race and stamped with their fix's time; a fix that is not one to
 * {@code telemetry.dlq} with its reason. State: each race, in the core's binary encoding.
 */
public final class TelemetryJob {
    public static final String NAME = "telemetry";

    /** The job's topics; another set lets a benchmark run on fresh topics. */
    public record Topics(String carCoordinates, String carStatus, String events, String deadLetters)
            implements Serializable {
        public static final Topics CATALOG =
                new Topics(
                        TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                        TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                        TopicCatalog.TELEMETRY_EVENTS.name(),
                        TopicCatalog.TELEMETRY_DLQ.name());

        /** These topics as {@code settings} name them. */
        public Topics as(FlinkSettings settings) {
            String suffix = settings.outputSuffix();
            return new Topics(
                    settings.topic(carCoordinates),
                    settings.topic(carStatus) + suffix,
                    settings.topic(events) + suffix,
                    settings.topic(deadLetters) + suffix);
        }
    }

    private final JobConfig config;
    private final Topics topics;

    public TelemetryJob(JobConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
    }

    public void build(StreamExecutionEnvironment env, JobIo io) {
        DataStream<KafkaRecord> outputs =
                io.source(env, topics.carCoordinates())
                        .keyBy(KafkaRecord::keyText, Types.STRING)
                        .process(new RaceFunction(config, topics))
                        .uid("telemetry-race")
                        .name("race");
        io.sink(outputs, NAME);
    }

    /**
     * Applies each fix to its race. The race is written to state after every fix it takes; the
     * decoded races are kept between records, and dropped when the function opens again after a
     * restore.
     */
    static final class RaceFunction extends KeyedProcessFunction<String, KafkaRecord, KafkaRecord>
            implements RaceListener {
        private static final long serialVersionUID = 1L;
        private static final Logger log = LoggerFactory.getLogger(RaceFunction.class);

        private final JobConfig config;
        private final Topics topics;
        private transient RaceRules rules;
        private transient RaceCodec codec;
        private transient ObjectWriter eventWriter;
        private transient ValueState<byte[]> state;
        private transient Map<String, Race> races;
        private transient KafkaRecord current;
        private transient Collector<KafkaRecord> out;

        RaceFunction(JobConfig config, Topics topics) {
            this.config = config;
            this.topics = topics;
        }

        @Override
        public void open(OpenContext context) {
            rules = TelemetrySettings.rules(config.config());
            codec = new RaceCodec(rules);
            eventWriter = Json.mapper().writerFor(RaceEvent.class);
            state =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "race",
                                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            races = new HashMap<>();
        }

        @Override
        public void processElement(KafkaRecord record, Context context, Collector<KafkaRecord> out)
                throws IOException {
            Fix fix;
            try {
                fix = rules.fix(record.value(), record.timestamp());
            } catch (MalformedFixException e) {
                out.collect(DeadLetters.of(record, e, topics.deadLetters(), log));
                return;
            }
            String raceId = context.getCurrentKey();
            Race race = races.get(raceId);
            if (race == null) {
                byte[] stored = state.value();
                race = stored == null ? new Race(rules) : codec.decode(stored);
                races.put(raceId, race);
            }
            current = record;
            this.out = out;
            try {
                if (race.accept(fix, this)) {
                    state.update(codec.encode(race));
                }
            } finally {
                current = null;
                this.out = null;
            }
        }

        @Override
        public void status(CarStatus status) {
            out.collect(output(topics.carStatus(), CarStatusJson.write(status)));
        }

        @Override
        public void event(RaceEvent event) {
            try {
                out.collect(output(topics.events(), eventWriter.writeValueAsBytes(event)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void finishLinePlaced(FinishLine line, long timestamp) {
            log.info(
                    "race {}: start/finish line placed at {} through its first fix ({} unset)",
                    current.keyText(),
                    line,
                    TelemetrySettings.FINISH_LINE.name());
        }

        /** Keyed by race (the input's key bytes), stamped with the fix's time, no headers. */
        private KafkaRecord output(String topic, byte[] value) {
            return KafkaRecord.to(topic, current.timestamp(), current.key(), value, List.of());
        }
    }
}
