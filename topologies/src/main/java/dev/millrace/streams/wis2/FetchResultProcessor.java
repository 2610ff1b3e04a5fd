package dev.millrace.streams.wis2;

import dev.millrace.wis2.FetchResult;
import dev.millrace.wis2.Wis2Dedupe;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Settles a data id's fetch in flight by {@link Wis2Dedupe#onFetchResult}. */
final class FetchResultProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final Wis2Dedupe dedupe;
    private ProcessorContext<byte[], byte[]> context;
    private StoreState state;

    FetchResultProcessor(Wis2Dedupe dedupe) {
        this.dedupe = dedupe;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.state = new StoreState(context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DedupeProcessor.forward(
                context,
                dedupe.onFetchResult(
                        new String(record.key(), StandardCharsets.UTF_8),
                        FetchResult.fromJson(record.value()),
                        Instant.ofEpochMilli(record.timestamp()),
                        state),
                record.timestamp());
    }
}
