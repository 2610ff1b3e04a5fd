package dev.millrace.streams.wis2;

import dev.millrace.wis2.DataIdLedger;
import dev.millrace.wis2.Notification;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Carries out a ledger's verdicts: FETCH and REPUBLISH become requests to the cache step. */
final class LedgerActions {
    private final ProcessorContext<byte[], byte[]> context;

    LedgerActions(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    void carryOut(
            DataIdLedger.Verdict verdict,
            Notification notification,
            String topic,
            byte[] key,
            long timestamp) {
        if (verdict == DataIdLedger.Verdict.FETCH || verdict == DataIdLedger.Verdict.REPUBLISH) {
            // The cache step fetches, or for cache=false republishes: either way it is the one
            // place that publishes cache notifications and counts them.
            context.forward(
                    record(key, notification.bytes(), topic, timestamp),
                    Wis2Topology.FETCH_REQUESTS_SINK);
        }
    }

    private static Record<byte[], byte[]> record(
            byte[] key, byte[] value, String topic, long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wis2Topology.TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
        return new Record<>(key, value, timestamp, headers);
    }
}
