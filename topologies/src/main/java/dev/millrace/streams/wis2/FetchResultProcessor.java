package dev.millrace.streams.wis2;

import dev.millrace.wis2.DataIdLedger;
import dev.millrace.wis2.FetchResult;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a data id's fetch in flight: a success marks the pair processed and its waiting copies
 * are duplicates; a failure leaves it open and the next waiting copy is fetched.
 */
final class FetchResultProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(FetchResultProcessor.class);

    private KeyValueStore<String, byte[]> ledgers;
    private LedgerActions actions;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ledgers = context.getStateStore(Wis2Topology.LEDGER_STORE);
        this.actions = new LedgerActions(context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        FetchResult result = FetchResult.fromJson(record.value());
        String dataId = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        byte[] stored = ledgers.get(dataId);
        LedgerEntry entry = stored == null ? null : LedgerEntry.decode(stored);
        if (entry == null || !result.pubtime().equals(entry.ledger().inFlight())) {
            // A result the ledger is not waiting for: a retry's second answer, or one that
            // outlived the data id's expiry.
            log.debug("ignored a fetch result for {} at {}", dataId, result.pubtime());
            return;
        }
        var decisions =
                entry.ledger().settle(result.cached(), Instant.ofEpochMilli(record.timestamp()));
        ledgers.put(dataId, entry.encode());
        for (DataIdLedger.Decision decision : decisions) {
            actions.carryOut(
                    decision.verdict(),
                    decision.notification(),
                    entry.topic(),
                    record.key(),
                    record.timestamp());
        }
    }
}
