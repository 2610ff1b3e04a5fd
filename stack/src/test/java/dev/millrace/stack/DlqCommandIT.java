package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.catalog.TopicCatalog;
import dev.millrace.cli.dlq.DeadLetterQueue;
import dev.millrace.config.KafkaSettings;
import dev.millrace.deadletter.DeadLetterHeaders;
import dev.millrace.local.TopicReader;
import dev.millrace.local.testing.EmbeddedKafka;
import dev.millrace.pipeline.admin.CatalogAdmin;
import dev.millrace.stack.testing.Commands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code millrace dlq} against a real broker: the listing with its filters, a redrive that puts the
 * selected letters back where they came from with their headers, and redrives (one after another
 * and at the same time) that never send a letter twice.
 */
class DlqCommandIT {
    private static final String SOURCE = TopicCatalog.AUDIT_MESSAGES.name();
    private static final String DLQ = TopicCatalog.AUDIT_DLQ.name();

    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = kafka.admin()) {
            new CatalogAdmin(admin, 1).ensure(TopicCatalog.ALL);
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            // Two letters from the workflow topology (Streams' headers), one from the archive
            // sink (Connect's), one from the MQTT source (no source topic).
            producer.send(streamsLetter("m-1", 2, 40, "messageID m-1 reused for another payload"));
            producer.send(streamsLetter("m-2", 3, 41, "messageID m-2 reused for another payload"));
            RecordHeaders connect = new RecordHeaders();
            connect.add("__connect.errors.topic", bytes(SOURCE));
            connect.add("__connect.errors.partition", bytes("1"));
            connect.add("__connect.errors.offset", bytes("7"));
            connect.add("__connect.errors.exception.class.name", bytes("java.io.IOException"));
            connect.add(
                    "__connect.errors.exception.message",
                    bytes("archive bucket unreachable: connection refused"));
            producer.send(
                    new ProducerRecord<>(
                            DLQ, 0, 1_000L, bytes("m-3"), bytes("{\"n\":3}"), connect));
            RecordHeaders mqtt = new RecordHeaders();
            mqtt.add("mqtt.topic", bytes("audit/in"));
            mqtt.add("mqtt.error", bytes("no mqtt.topics entry matches MQTT topic audit/in"));
            producer.send(new ProducerRecord<>(DLQ, 0, 1_001L, null, bytes("junk"), mqtt));
            producer.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ProducerRecord<byte[], byte[]> streamsLetter(
            String id, int partition, long offset, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("idempotency-key", bytes("k-" + id));
        headers.add(DeadLetterHeaders.EXCEPTION, bytes("java.lang.IllegalArgumentException"));
        headers.add(DeadLetterHeaders.MESSAGE, bytes(reason));
        headers.add(DeadLetterHeaders.TOPIC, bytes(SOURCE));
        headers.add(DeadLetterHeaders.PARTITION, bytes(String.valueOf(partition)));
        headers.add(DeadLetterHeaders.OFFSET, bytes(String.valueOf(offset)));
        return new ProducerRecord<>(
                DLQ, 0, 500L + offset, bytes(id), bytes("{\"messageID\":\"" + id + "\"}"), headers);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code millrace dlq audit ...} against the broker; exit code and what it printed. */
    private static String[] dlq(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "dlq";
        all[1] = "audit";
        all[2] = "--set";
        all[3] = "kafka.bootstrap-servers=" + kafka.bootstrapServers();
        System.arraycopy(args, 0, all, 4, args.length);
        Commands.Run run = Commands.run(all);
        return new String[] {String.valueOf(run.exit()), run.out()};
    }

    private static List<ConsumerRecord<byte[], byte[]>> source(int expected) {
        return kafka.readUntil(SOURCE, r -> r.size() >= expected, Duration.ofSeconds(10));
    }

    @Test
    void listsFiltersAndRedrivesEachLetterOnce() throws Exception {
        String[] all = dlq();
        assertThat(all[0]).isEqualTo("0");
        assertThat(all[1])
                .contains("from audit.messages/2@40")
                .contains("reason: messageID m-1 reused for another payload")
                .contains("from audit.messages/1@7")
                .contains("reason: archive bucket unreachable: connection refused")
                .contains("from (no source topic)")
                .contains("4 dead letter(s) in audit.dlq, 4 selected, 4 shown, 0 redriven");

        String[] reused = dlq("--reason", "REUSED", "--json");
        assertThat(reused[1].lines().toList())
                .hasSize(2)
                .allSatisfy(
                        line -> assertThat(line).contains("\"sourceTopic\":\"audit.messages\""));

        // The reused ids go back to their partitions with their own headers only.
        String[] redrive = dlq("--reason", "reused", "--redrive");
        assertThat(redrive[1])
                .contains("redrove 2 dead letter(s) of audit")
                .contains("0 already redriven");
        List<ConsumerRecord<byte[], byte[]>> back = source(2);
        assertThat(back).hasSize(2);
        ConsumerRecord<byte[], byte[]> first =
                back.stream()
                        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("m-1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(first.partition()).isEqualTo(2);
        assertThat(first.timestamp()).isEqualTo(540L);
        assertThat(new String(first.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"messageID\":\"m-1\"}");
        assertThat(List.of(first.headers().toArray()))
                .extracting(Header::key)
                .containsExactly("idempotency-key");

        // Again, and then everything at once from two redrives at the same time: only the
        // archive letter is left to go, and it goes once.
        assertThat(dlq("--reason", "reused", "--redrive")[1])
                .contains("redrove 0 dead letter(s)")
                .contains("2 already redriven");
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(DlqCommandIT::redriveAll);
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(DlqCommandIT::redriveAll);
        assertThat(a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> settled =
                TopicReader.readSettled(kafka.bootstrapServers(), SOURCE, Duration.ofSeconds(5));
        assertThat(settled)
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("m-1", "m-2", "m-3");
        assertThat(dlq()[1])
                .contains("[redriven to audit.messages/1 at")
                .contains("4 dead letter(s) in audit.dlq, 4 selected, 4 shown, 3 redriven");
    }

    /**
     * One redrive of every letter, through the command's own class so that two run at once; a
     * redrive fenced by the other writes nothing and is run again, as its user would.
     */
    private static int redriveAll() {
        DeadLetterQueue queue =
                new DeadLetterQueue(KafkaSettings.local(kafka.bootstrapServers()), "audit");
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return queue.redrive(entry -> true).redriven();
            } catch (IllegalStateException fenced) {
                assertThat(fenced).hasMessageContaining("started meanwhile");
            }
        }
        throw new AssertionError("the redrive never went through");
    }
}
