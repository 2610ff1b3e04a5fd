package dev.millrace.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.millrace.config.Config;
import dev.millrace.config.KafkaSettings;
import dev.millrace.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace tail <topic>}: prints values as they are committed, one JSON value a line. It
 * reads {@code read_committed} without a consumer group, so it never moves anyone's offsets.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Print a topic's committed values, one JSON value a line.")
final class TailCommand implements Callable<Integer> {
    private static final ObjectReader STRICT =
            Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Mixin ConfigOptions options;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record, not the newest.")
    boolean fromBeginning;

    @Option(
            names = "--max",
            paramLabel = "N",
            description = "Stop after N records (default: run until Ctrl-C).")
    long max = Long.MAX_VALUE;

    @Override
    public Integer call() {
        Config config = options.load();
        Map<String, Object> props = new HashMap<>(KafkaSettings.from(config).clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-tail");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (partitions == null || partitions.isEmpty()) {
                throw new CommandFailedException("no topic " + topic + " (see `millrace topics`)");
            }
            List<TopicPartition> assigned =
                    partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            PrintStream out = System.out;
            long printed = 0;
            while (printed < max) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    out.println(oneLine(record.value()));
                    if (++printed >= max) {
                        break;
                    }
                }
                out.flush();
            }
        }
        return 0;
    }

    /** A value as one line of JSON: compacted if it is JSON, else quoted as a JSON string. */
    static String oneLine(byte[] value) {
        if (value == null) {
            return "null";
        }
        try {
            JsonNode node = STRICT.readTree(value);
            if (node != null && !node.isMissingNode()) {
                return Json.mapper().writeValueAsString(node);
            }
        } catch (IOException notJson) {
            // falls through to quoting
        }
        try {
            return Json.mapper().writeValueAsString(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
