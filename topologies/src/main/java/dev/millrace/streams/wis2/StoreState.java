package dev.millrace.streams.wis2;

import dev.millrace.wis2.LedgerEntry;
import dev.millrace.wis2.Wis2Dedupe;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The dedupe rules' memory in the topology's two changelogged stores. */
final class StoreState implements Wis2Dedupe.State {
    private final KeyValueStore<String, Long> seen;
    private final KeyValueStore<String, byte[]> ledgers;

    StoreState(ProcessorContext<?, ?> context) {
        this.seen = context.getStateStore(Wis2Topology.SEEN_STORE);
        this.ledgers = context.getStateStore(Wis2Topology.LEDGER_STORE);
    }

    KeyValueStore<String, Long> seenStore() {
        return seen;
    }

    KeyValueStore<String, byte[]> ledgerStore() {
        return ledgers;
    }

    @Override
    public Instant seenAt(String id) {
        Long at = seen.get(id);
        return at == null ? null : Instant.ofEpochMilli(at);
    }

    @Override
    public void seen(String id, Instant at) {
        seen.put(id, at.toEpochMilli());
    }

    @Override
    public LedgerEntry ledger(String dataId) {
        byte[] stored = ledgers.get(dataId);
        return stored == null ? null : LedgerEntry.decode(stored);
    }

    @Override
    public void ledger(String dataId, LedgerEntry entry) {
        ledgers.put(dataId, entry.encode());
    }
}
