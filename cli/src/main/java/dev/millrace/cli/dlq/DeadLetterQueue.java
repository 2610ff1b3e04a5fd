package dev.millrace.cli.dlq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.catalog.TopicCatalog;
import dev.millrace.config.KafkaSettings;
import dev.millrace.deadletter.DeadLetter;
import dev.millrace.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A pipeline's dead letters ({@code <pipeline>.dlq}) and which of them were redriven ({@code
 * <pipeline>.dlq-redrives}). A redrive puts dead letters back on their source topic, with their
 * key, value and headers (less the dead-letter ones), and records each in the redrives topic, all
 * in one Kafka transaction: a letter goes back once, however often or concurrently redrives run, as
 * SQS moves rather than copies a redriven message.
 */
public final class DeadLetterQueue {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaSettings kafka;
    private final String pipeline;
    private final String topic;
    private final String redrivesTopic;

    public DeadLetterQueue(KafkaSettings kafka, String pipeline) {
        this.kafka = kafka;
        this.pipeline = pipeline;
        this.topic = TopicCatalog.dlqOf(pipeline).name();
        this.redrivesTopic = TopicCatalog.redrivesOf(pipeline).name();
    }

    /** A dead letter at its place in the dead-letter topic. */
    public record Entry(
            int partition,
            long offset,
            long timestamp,
            byte[] key,
            byte[] value,
            List<Header> headers,
            DeadLetter letter,
            String redrivenTo) {

        /** The coordinates of the letter, its key in the redrives topic. */
        public String id() {
            return partition + "@" + offset;
        }

        public boolean redriven() {
            return redrivenTo != null;
        }

        /** Whether it can go back: it names a source topic and has not gone back yet. */
        public boolean redrivable() {
            return letter.hasSource() && !redriven();
        }

        /** The first {@code chars} characters of the value, as text. */
        public String preview(int chars) {
            if (value == null) {
                return "null";
            }
            String text = new String(value, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            return text.length() <= chars ? text : text.substring(0, chars) + "…";
        }

        public ObjectNode json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("partition", partition);
            o.put("offset", offset);
            o.put("time", Instant.ofEpochMilli(timestamp).toString());
            o.put("reason", letter.reason());
            o.put("exception", letter.exception());
            o.put("sourceTopic", letter.sourceTopic());
            o.put("sourcePartition", letter.sourcePartition());
            o.put("sourceOffset", letter.sourceOffset());
            o.put("key", key == null ? null : new String(key, StandardCharsets.UTF_8));
            o.put("preview", preview(200));
            o.put("redrivenTo", redrivenTo);
            return o;
        }
    }

    /** What a redrive did. */
    public record Redrive(int redriven, int alreadyRedriven, int withoutSource) {}

    /** Every dead letter up to the end of the topic now, in order, with its redrive if any. */
    public List<Entry> read() {
        Map<String, String> redrives = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(redrivesTopic)) {
            redrives.put(text(record.key()), text(record.value()));
        }
        List<Entry> entries = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(topic)) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), text(header.value()));
            }
            String id = record.partition() + "@" + record.offset();
            entries.add(
                    new Entry(
                            record.partition(),
                            record.offset(),
                            record.timestamp(),
                            record.key(),
                            record.value(),
                            List.of(record.headers().toArray()),
                            DeadLetter.from(headers),
                            redrives.get(id)));
        }
        return entries;
    }

    /**
     * Puts the dead letters that {@code selected} accepts back on their source topics, each on the
     * partition it came from, in one transaction with their records in the redrives topic. Letters
     * already redriven, or without a source topic, are left.
     */
    public Redrive redrive(Predicate<Entry> selected) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "millrace-dlq-redrive-" + pipeline);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "millrace-dlq-redrive");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            // Fences any earlier redrive of this pipeline still open, so what is read next is
            // every redrive that will ever commit before this one.
            producer.initTransactions();
            int redriven = 0;
            int already = 0;
            int withoutSource = 0;
            List<Entry> chosen = new ArrayList<>();
            for (Entry entry : read()) {
                if (!selected.test(entry)) {
                    continue;
                }
                if (entry.redriven()) {
                    already++;
                } else if (!entry.letter().hasSource()) {
                    withoutSource++;
                } else {
                    chosen.add(entry);
                }
            }
            if (chosen.isEmpty()) {
                return new Redrive(0, already, withoutSource);
            }
            Map<String, Integer> partitions = new HashMap<>();
            try {
                producer.beginTransaction();
                for (Entry entry : chosen) {
                    String source = entry.letter().sourceTopic();
                    int count =
                            partitions.computeIfAbsent(
                                    source, t -> producer.partitionsFor(t).size());
                    int partition = entry.letter().sourcePartition();
                    RecordHeaders headers = new RecordHeaders();
                    for (Header header : entry.headers()) {
                        if (!DeadLetter.isDeadLetterHeader(header.key())) {
                            headers.add(header);
                        }
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    source,
                                    partition >= 0 && partition < count ? partition : null,
                                    entry.timestamp(),
                                    entry.key(),
                                    entry.value(),
                                    headers));
                    String to =
                            source
                                    + (partition >= 0 && partition < count ? "/" + partition : "")
                                    + " at "
                                    + Instant.now();
                    producer.send(
                            new ProducerRecord<>(
                                    redrivesTopic,
                                    entry.id().getBytes(StandardCharsets.UTF_8),
                                    to.getBytes(StandardCharsets.UTF_8)));
                    redriven++;
                }
                producer.commitTransaction();
            } catch (KafkaException e) {
                if (fenced(e)) {
                    throw new IllegalStateException(
                            "another redrive of the "
                                    + pipeline
                                    + " dead letters started meanwhile; nothing of this one was"
                                    + " written, run it again",
                            e);
                }
                producer.abortTransaction();
                throw e;
            }
            return new Redrive(redriven, already, withoutSource);
        }
    }

    /** A topic's committed records from its start to its end now. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(String name) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-dlq");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(name, READ_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "no topic " + name + " (create it with `millrace topics --create`)");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(name, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + name + " to its end within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(
                (a, b) ->
                        a.partition() != b.partition()
                                ? Integer.compare(a.partition(), b.partition())
                                : Long.compare(a.offset(), b.offset()));
        return records;
    }

    /** Whether another producer with the redrive's transactional id took over. */
    private static boolean fenced(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
