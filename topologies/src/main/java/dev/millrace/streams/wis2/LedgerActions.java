package dev.millrace.streams.wis2;

import dev.millrace.json.Json;
import dev.millrace.wis2.CacheNotifications;
import dev.millrace.wis2.DataIdLedger;
import dev.millrace.wis2.Notification;
import dev.millrace.wis2.Wis2Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Carries out a ledger's verdicts: a fetch request, or the republished copy of cache=false. */
final class LedgerActions {
    private final ProcessorContext<byte[], byte[]> context;
    private final String centreId;

    LedgerActions(ProcessorContext<byte[], byte[]> context, String centreId) {
        this.context = context;
        this.centreId = centreId;
    }

    void carryOut(
            DataIdLedger.Verdict verdict,
            Notification notification,
            String topic,
            byte[] key,
            long timestamp) {
        switch (verdict) {
            case FETCH ->
                    context.forward(
                            record(key, notification.bytes(), topic, timestamp),
                            Wis2Topology.FETCH_REQUESTS_SINK);
            case REPUBLISH -> {
                byte[] copy;
                try {
                    copy =
                            Json.mapper()
                                    .writeValueAsBytes(
                                            CacheNotifications.republished(notification, centreId));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                context.forward(
                        record(key, copy, Wis2Topics.cacheTopic(topic), timestamp),
                        Wis2Topology.CACHE_NOTIFICATIONS_SINK);
            }
            default -> {
                // WAIT and the drops: nothing to send.
            }
        }
    }

    private static Record<byte[], byte[]> record(
            byte[] key, byte[] value, String topic, long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wis2Topology.TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
        return new Record<>(key, value, timestamp, headers);
    }
}
