package dev.millrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.wis2.FetchResult;
import dev.millrace.wis2.WnmBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The dedupe job's state lives {@code wis2.dedupe.retention} after its last write, no longer. */
class Wis2DedupeTtlTest {
    private static final String TOPIC =
            "origin/a/wis2/xx-node/data/core/weather/surface-based-observations/synop";
    private static final String DATA_ID = "xx-node/data/ttl";
    private static final String PUBTIME = "2026-11-23T12:00:00Z";

    private static KafkaRecord notification(String id, long offset) {
        return TestIo.read(
                Wis2DedupeJob.Topics.CATALOG.notifications(),
                offset,
                Instant.parse(PUBTIME).toEpochMilli(),
                DATA_ID.getBytes(StandardCharsets.UTF_8),
                WnmBuilder.notification(id, DATA_ID, PUBTIME)
                        .datetime(PUBTIME)
                        .link("canonical", "https://node.example.org/ttl.bufr4", "application/bufr")
                        .bytes(),
                List.of(
                        new KafkaRecord.Header(
                                "mqtt.topic", TOPIC.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void idsAndLedgersAreForgottenAfterTheRetention() throws Exception {
        KeySelector<KafkaRecord, String> byKey = KafkaRecord::keyText;
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new Wis2DedupeJob.DedupeFunction(
                                        JobConfig.of(Map.of()), Wis2DedupeJob.Topics.CATALOG)),
                        byKey,
                        byKey,
                        Types.STRING);
        harness.open();
        String id = "5b2c9a7e-0000-4000-8000-000000000001";

        harness.setStateTtlProcessingTime(0);
        harness.processElement1(new StreamRecord<>(notification(id, 0)));
        assertThat(harness.extractOutputValues()).hasSize(1);
        FetchResult cached = new FetchResult(id, Instant.parse(PUBTIME), true, null);
        harness.processElement2(
                new StreamRecord<>(
                        TestIo.read(
                                Wis2DedupeJob.Topics.CATALOG.fetchResults(),
                                0,
                                Instant.parse(PUBTIME).toEpochMilli() + 1_000,
                                DATA_ID.getBytes(StandardCharsets.UTF_8),
                                cached.toJson(),
                                List.of())));

        harness.setStateTtlProcessingTime(Duration.ofHours(23).toMillis());
        harness.processElement1(new StreamRecord<>(notification(id, 1)));
        assertThat(harness.extractOutputValues()).as("a copy within the retention").hasSize(1);

        harness.setStateTtlProcessingTime(Duration.ofHours(25).toMillis());
        harness.processElement1(new StreamRecord<>(notification(id, 2)));
        assertThat(harness.extractOutputValues())
                .as("the id and the ledger forgotten: fetched again")
                .hasSize(2);
        harness.close();
    }
}
