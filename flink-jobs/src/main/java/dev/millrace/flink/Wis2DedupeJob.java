package dev.millrace.flink;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.FlinkSettings;
import dev.millrace.wis2.FetchResult;
import dev.millrace.wis2.InvalidNotificationException;
import dev.millrace.wis2.LedgerEntry;
import dev.millrace.wis2.Wis2Dedupe;
import dev.millrace.wis2.Wis2Settings;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Global Cache's deduplication on Flink, the core's {@link Wis2Dedupe} rules as the Streams
 * topology applies them: notifications and fetch results in, keyed by data_id; fetch requests for
 * the cache step (the same service, whichever engine judged) and dead letters out. State per data
 * id: the message ids seen and the data id's ledger, forgotten {@code wis2.dedupe.retention} after
 * their last write.
 */
public final class Wis2DedupeJob {
    public static final String NAME = "wis2";

    /** The header carrying a notification's MQTT topic. */
    static final String TOPIC_HEADER = "mqtt.topic";

    /** The job's topics. */
    public record Topics(
            String notifications, String fetchResults, String fetchRequests, String deadLetters)
            implements Serializable {
        public static final Topics CATALOG =
                new Topics(
                        TopicCatalog.WIS2_NOTIFICATIONS.name(),
                        TopicCatalog.WIS2_FETCH_RESULTS.name(),
                        TopicCatalog.WIS2_FETCH_REQUESTS.name(),
                        TopicCatalog.WIS2_DLQ.name());

        /** These topics as {@code settings} name them. */
        public Topics as(FlinkSettings settings) {
            String suffix = settings.outputSuffix();
            return new Topics(
                    settings.topic(notifications),
                    settings.topic(fetchResults),
                    settings.topic(fetchRequests) + suffix,
                    settings.topic(deadLetters) + suffix);
        }
    }

    private final JobConfig config;
    private final Topics topics;

    public Wis2DedupeJob(JobConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
    }

    public void build(StreamExecutionEnvironment env, JobIo io) {
        DataStream<KafkaRecord> notifications = io.source(env, topics.notifications());
        DataStream<KafkaRecord> results = io.source(env, topics.fetchResults());
        DataStream<KafkaRecord> outputs =
                notifications
                        .connect(results)
                        .keyBy(KafkaRecord::keyText, KafkaRecord::keyText, Types.STRING)
                        .process(new DedupeFunction(config, topics))
                        .uid("wis2-dedupe")
                        .name("dedupe");
        io.sink(outputs, NAME);
    }

    /**
     * Carries out the rules' judgement of each notification and fetch result of a data id. The two
     * inputs are not read in time order, as Streams reads them: a fetch result that overtakes its
     * notification (while a job catches up) is kept, by the notification's id, and applied when
     * that notification is requested.
     */
    static final class DedupeFunction
            extends KeyedCoProcessFunction<String, KafkaRecord, KafkaRecord, KafkaRecord>
            implements Wis2Dedupe.State {
        private static final long serialVersionUID = 1L;
        private static final Logger log = LoggerFactory.getLogger(DedupeFunction.class);

        private final JobConfig config;
        private final Topics topics;
        private transient Wis2Dedupe dedupe;
        private transient MapState<String, Long> seen;
        private transient ValueState<byte[]> ledger;
        private transient MapState<String, byte[]> early;
        private transient String currentKey;

        DedupeFunction(JobConfig config, Topics topics) {
            this.config = config;
            this.topics = topics;
        }

        @Override
        public void open(OpenContext context) {
            Wis2Settings settings = Wis2Settings.from(config.config());
            dedupe = new Wis2Dedupe(settings.centreId(), settings.dedupeRetention());
            StateTtlConfig ttl = ttl(settings.dedupeRetention());
            MapStateDescriptor<String, Long> seenIds =
                    new MapStateDescriptor<>("seen-ids", Types.STRING, Types.LONG);
            seenIds.enableTimeToLive(ttl);
            seen = getRuntimeContext().getMapState(seenIds);
            ValueStateDescriptor<byte[]> ledgers =
                    new ValueStateDescriptor<>(
                            "ledger", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            ledgers.enableTimeToLive(ttl);
            ledger = getRuntimeContext().getState(ledgers);
            MapStateDescriptor<String, byte[]> earlyResults =
                    new MapStateDescriptor<>(
                            "early-fetch-results",
                            Types.STRING,
                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            earlyResults.enableTimeToLive(ttl);
            early = getRuntimeContext().getMapState(earlyResults);
        }

        static StateTtlConfig ttl(Duration retention) {
            return StateTtlConfig.newBuilder(retention)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build();
        }

        @Override
        public void processElement1(KafkaRecord record, Context context, Collector<KafkaRecord> out)
                throws Exception {
            currentKey = context.getCurrentKey();
            Wis2Dedupe.Judgement judgement =
                    dedupe.onNotification(
                            record.header(TOPIC_HEADER),
                            record.value(),
                            Instant.ofEpochMilli(record.timestamp()),
                            this);
            switch (judgement.kind()) {
                case IGNORED -> {}
                case DUPLICATE -> log.debug("dropped a copy: {}", judgement.reason());
                case INVALID ->
                        out.collect(
                                DeadLetters.of(
                                        record,
                                        new InvalidNotificationException(judgement.reason()),
                                        topics.deadLetters(),
                                        log));
                case ACCEPTED -> forward(judgement.requests(), record.timestamp(), out);
            }
        }

        @Override
        public void processElement2(KafkaRecord record, Context context, Collector<KafkaRecord> out)
                throws Exception {
            currentKey = context.getCurrentKey();
            FetchResult result = FetchResult.fromJson(record.value());
            LedgerEntry entry = ledger(currentKey);
            boolean awaited = entry != null && result.pubtime().equals(entry.ledger().inFlight());
            boolean processed =
                    entry != null
                            && entry.ledger().processed() != null
                            && !result.pubtime().isAfter(entry.ledger().processed());
            if (!awaited && !processed) {
                early.put(result.id(), record.value());
                return;
            }
            forward(
                    dedupe.onFetchResult(
                            currentKey, result, Instant.ofEpochMilli(record.timestamp()), this),
                    record.timestamp(),
                    out);
        }

        /**
         * Each request keyed by its data id, its MQTT topic in the header. A request whose fetch
         * result came early is settled with it at once, which may request the next copy.
         */
        private void forward(
                List<Wis2Dedupe.Request> requests, long timestamp, Collector<KafkaRecord> out)
                throws Exception {
            Deque<Wis2Dedupe.Request> pending = new ArrayDeque<>(requests);
            while (!pending.isEmpty()) {
                Wis2Dedupe.Request request = pending.poll();
                out.collect(
                        KafkaRecord.to(
                                topics.fetchRequests(),
                                timestamp,
                                request.notification().dataId().getBytes(StandardCharsets.UTF_8),
                                request.notification().bytes(),
                                KafkaRecord.headers(Map.of(TOPIC_HEADER, request.topic()))));
                byte[] result = early.get(request.notification().id());
                if (result != null) {
                    early.remove(request.notification().id());
                    pending.addAll(
                            dedupe.onFetchResult(
                                    currentKey,
                                    FetchResult.fromJson(result),
                                    Instant.ofEpochMilli(timestamp),
                                    this));
                }
            }
        }

        @Override
        public Instant seenAt(String id) {
            try {
                Long at = seen.get(id);
                return at == null ? null : Instant.ofEpochMilli(at);
            } catch (Exception e) {
                throw new IllegalStateException("reading the seen ids failed", e);
            }
        }

        @Override
        public void seen(String id, Instant at) {
            try {
                seen.put(id, at.toEpochMilli());
            } catch (Exception e) {
                throw new IllegalStateException("writing the seen ids failed", e);
            }
        }

        /** The ledger of the current key: the data id the record was keyed by. */
        @Override
        public LedgerEntry ledger(String dataId) {
            try {
                byte[] stored = ledger.value();
                return stored == null ? null : LedgerEntry.decode(stored);
            } catch (Exception e) {
                throw new IllegalStateException("reading the ledger failed", e);
            }
        }

        @Override
        public void ledger(String dataId, LedgerEntry entry) {
            try {
                ledger.update(entry.encode());
            } catch (Exception e) {
                throw new IllegalStateException("writing the ledger failed", e);
            }
        }
    }
}
