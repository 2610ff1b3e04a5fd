package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.deadletter.DeadLetter;
import dev.millrace.json.Json;
import dev.millrace.telemetry.FixJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipelines' output topics ({@code read_committed}, no consumer group, so it moves no
 * one's offsets) into the boards, on a thread of its own. It starts {@link #RECENT} records before
 * the end of each partition, so that the boards fill at once, and counts only what is written after
 * it started; the dead-letter topics it reads whole, to count them.
 */
final class DashboardFeed implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DashboardFeed.class);

    /** Records read back from before the start, per partition. */
    static final long RECENT = 50;

    private final Map<String, Object> clientProperties;
    private final RaceBoard race;
    private final CacheBoard cache;
    private final AuditBoard audit;
    private final DeadLetterBoard deadLetters;
    private final Map<String, String> dlqPipelines = new HashMap<>();
    private final Map<TopicPartition, Long> liveFrom = new HashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;

    DashboardFeed(
            Map<String, Object> clientProperties,
            List<String> pipelines,
            RaceBoard race,
            CacheBoard cache,
            AuditBoard audit,
            DeadLetterBoard deadLetters) {
        this.clientProperties = clientProperties;
        this.race = race;
        this.cache = cache;
        this.audit = audit;
        this.deadLetters = deadLetters;
        pipelines.forEach(p -> dlqPipelines.put(TopicCatalog.dlqOf(p).name(), p));
    }

    private List<String> topics() {
        List<String> topics =
                new ArrayList<>(
                        List.of(
                                TopicCatalog.TELEMETRY_CAR_COORDINATES.name(),
                                TopicCatalog.TELEMETRY_CAR_STATUS.name(),
                                TopicCatalog.TELEMETRY_EVENTS.name(),
                                TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name(),
                                TopicCatalog.AUDIT_FINAL_STATE.name(),
                                TopicCatalog.AUDIT_EVENTS.name()));
        topics.addAll(dlqPipelines.keySet());
        return topics;
    }

    @Override
    public void run() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-dashboard");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(props)) {
            consumer = kafka;
            if (closed) {
                return;
            }
            assign(kafka);
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofSeconds(1))) {
                    accept(record);
                }
            }
        } catch (WakeupException e) {
            // Closed.
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("the dashboard stopped reading the topics: {}", e.toString());
            }
        }
    }

    private void assign(KafkaConsumer<byte[], byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics()) {
            for (PartitionInfo info : kafka.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        kafka.assign(partitions);
        Map<TopicPartition, Long> begins = kafka.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long end = ends.get(tp);
            liveFrom.put(tp, end);
            long from =
                    dlqPipelines.containsKey(tp.topic())
                            ? begins.get(tp)
                            : Math.max(begins.get(tp), end - RECENT);
            kafka.seek(tp, from);
        }
    }

    void accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String topic = record.topic();
        try {
            String pipeline = dlqPipelines.get(topic);
            if (pipeline != null) {
                deadLetters.add(pipeline, DeadLetter.from(headers(record)), record.timestamp());
            } else if (topic.equals(TopicCatalog.TELEMETRY_CAR_COORDINATES.name())) {
                race.fix(FixJson.parse(record.value()));
            } else if (topic.equals(TopicCatalog.TELEMETRY_CAR_STATUS.name())) {
                race.status(json(record));
            } else if (topic.equals(TopicCatalog.TELEMETRY_EVENTS.name())) {
                race.event(json(record));
            } else if (topic.equals(TopicCatalog.WIS2_CACHE_NOTIFICATIONS.name())) {
                cache.notification(json(record), record.timestamp());
            } else if (topic.equals(TopicCatalog.AUDIT_FINAL_STATE.name())) {
                long live =
                        liveFrom.getOrDefault(new TopicPartition(topic, record.partition()), 0L);
                audit.finalState(json(record), record.timestamp(), record.offset() >= live);
            } else if (topic.equals(TopicCatalog.AUDIT_EVENTS.name())) {
                audit.event(json(record), record.timestamp());
            }
        } catch (Exception e) {
            // A record that is not what its topic promises is the DLQ's business, not the view's.
            log.debug(
                    "dashboard skips {}-{}@{}: {}", topic, record.partition(), record.offset(), e);
        }
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) throws Exception {
        return Json.mapper().readTree(record.value());
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(
                    header.key(),
                    header.value() == null
                            ? ""
                            : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
    }
}
