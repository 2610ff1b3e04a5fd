package dev.millrace.streams.telemetry;

import dev.millrace.telemetry.Race;
import dev.millrace.telemetry.RaceCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The races of a task, kept as objects and written behind. A race changes with every fix, but only
 * its state at each commit matters: races are encoded and put into the changelogged store beneath
 * when Streams flushes store caches, which it does inside the transaction, before it commits the
 * input offsets. So the changelog holds, at every commit, exactly the races the committed offsets
 * imply, at one write per race per commit rather than one per fix.
 */
final class RaceStore extends WrappedStateStore<KeyValueStore<String, byte[]>, String, Race>
        implements KeyValueStore<String, Race> {
    private final RaceCodec codec;
    private final Map<String, Race> races = new HashMap<>();
    private final Map<String, Race> dirty = new HashMap<>();

    private RaceStore(KeyValueStore<String, byte[]> stored, RaceCodec codec) {
        super(stored);
        this.codec = codec;
    }

    static StoreBuilder<KeyValueStore<String, Race>> builder(String name, RaceCodec codec) {
        return new Builder(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(name),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingDisabled(),
                codec);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        races.clear();
        dirty.clear();
        super.init(context, root);
    }

    @Override
    public Race get(String raceId) {
        Race race = races.get(raceId);
        if (race == null) {
            byte[] stored = wrapped().get(raceId);
            if (stored != null) {
                race = codec.decode(stored);
                races.put(raceId, race);
            }
        }
        return race;
    }

    /** Marks the race as changed; it is written at the next flush. */
    @Override
    public void put(String raceId, Race race) {
        if (race == null) {
            delete(raceId);
            return;
        }
        races.put(raceId, race);
        dirty.put(raceId, race);
    }

    @Override
    public Race putIfAbsent(String raceId, Race race) {
        Race existing = get(raceId);
        if (existing == null) {
            put(raceId, race);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, Race>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public Race delete(String raceId) {
        Race existing = get(raceId);
        races.remove(raceId);
        dirty.remove(raceId);
        wrapped().delete(raceId);
        return existing;
    }

    /** Writes the changed races to the store beneath, then flushes it. */
    @Override
    public void flushCache() {
        writeDirty();
        super.flushCache();
    }

    /** Forgets what was not written: the task is being closed without a commit. */
    @Override
    public void clearCache() {
        races.clear();
        dirty.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        races.clear();
        dirty.clear();
        super.close();
    }

    private void writeDirty() {
        if (dirty.isEmpty()) {
            return;
        }
        List<KeyValue<String, byte[]>> encoded = new ArrayList<>(dirty.size());
        dirty.forEach((id, race) -> encoded.add(KeyValue.pair(id, codec.encode(race))));
        dirty.clear();
        wrapped().putAll(encoded);
    }

    @Override
    public KeyValueIterator<String, Race> range(String from, String to) {
        writeDirty();
        return decoding(wrapped().range(from, to));
    }

    @Override
    public KeyValueIterator<String, Race> reverseRange(String from, String to) {
        writeDirty();
        return decoding(wrapped().reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<String, Race> all() {
        writeDirty();
        return decoding(wrapped().all());
    }

    @Override
    public KeyValueIterator<String, Race> reverseAll() {
        writeDirty();
        return decoding(wrapped().reverseAll());
    }

    @Override
    public long approximateNumEntries() {
        writeDirty();
        return wrapped().approximateNumEntries();
    }

    private KeyValueIterator<String, Race> decoding(KeyValueIterator<String, byte[]> stored) {
        return new KeyValueIterator<>() {
            @Override
            public void close() {
                stored.close();
            }

            @Override
            public String peekNextKey() {
                return stored.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public KeyValue<String, Race> next() {
                KeyValue<String, byte[]> next = stored.next();
                return KeyValue.pair(next.key, codec.decode(next.value));
            }
        };
    }

    /** Builds the store beneath with its changelog and wraps it. */
    private static final class Builder implements StoreBuilder<KeyValueStore<String, Race>> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> stored;
        private final RaceCodec codec;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> stored, RaceCodec codec) {
            this.stored = stored;
            this.codec = codec;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Race>> withCachingEnabled() {
            // The races are the cache.
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Race>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Race>> withLoggingEnabled(
                Map<String, String> config) {
            stored.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Race>> withLoggingDisabled() {
            stored.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<String, Race> build() {
            return new RaceStore(stored.build(), codec);
        }

        @Override
        public Map<String, String> logConfig() {
            return stored.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return stored.loggingEnabled();
        }

        @Override
        public String name() {
            return stored.name();
        }
    }
}
