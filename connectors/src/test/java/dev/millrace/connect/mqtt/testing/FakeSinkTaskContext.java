package dev.millrace.connect.mqtt.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** Records what a sink task asks of Connect: back-off timeouts and errant records. */
public final class FakeSinkTaskContext implements SinkTaskContext {

    /** One errant record and why. */
    public record Errant(SinkRecord record, Throwable error) {}

    public final List<Long> timeouts = new CopyOnWriteArrayList<>();
    public final List<Errant> errant = new CopyOnWriteArrayList<>();
    private final boolean withReporter;

    private FakeSinkTaskContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    /** A worker with a dead-letter queue configured. */
    public static FakeSinkTaskContext withReporter() {
        return new FakeSinkTaskContext(true);
    }

    /** A worker without one: errant records must fail the task. */
    public static FakeSinkTaskContext withoutReporter() {
        return new FakeSinkTaskContext(false);
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            errant.add(new Errant(record, error));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public void timeout(long timeoutMs) {
        timeouts.add(timeoutMs);
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {}

    @Override
    public void offset(TopicPartition tp, long offset) {}

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
