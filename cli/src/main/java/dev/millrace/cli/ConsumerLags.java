package dev.millrace.cli;

import dev.millrace.pipeline.PipelineContext;
import dev.millrace.pipeline.Pipelines;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Each consumer group's lag: per partition, the committed records (read_committed) past the group's
 * committed offset, and the component of the registry each group belongs to.
 */
public final class ConsumerLags {
    private ConsumerLags() {}

    /**
     * Group id to partition to lag, groups sorted by id; a group with no commits maps to an empty
     * map. Each admin call waits up to {@code timeout}.
     */
    public static Map<String, Map<TopicPartition, Long>> read(Admin admin, Duration timeout)
            throws Exception {
        long ms = timeout.toMillis();
        Map<String, Map<TopicPartition, Long>> lags = new TreeMap<>();
        for (ConsumerGroupListing group :
                admin.listConsumerGroups().all().get(ms, TimeUnit.MILLISECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get(ms, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all()
                            .get(ms, TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> byPartition =
                    new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            committed.forEach(
                    (tp, offset) -> {
                        long end = ends.get(tp).offset();
                        byPartition.put(
                                tp, offset == null ? end : Math.max(0, end - offset.offset()));
                    });
            lags.put(group.groupId(), byPartition);
        }
        return lags;
    }

    /** The component of each consumer group the registry knows: group id to component name. */
    public static Map<String, String> components(PipelineContext context) {
        Map<String, String> byGroup = new HashMap<>();
        Pipelines.streamsApps(context).forEach(a -> byGroup.put(a.applicationId(), a.name()));
        Pipelines.services().forEach(s -> s.groups().forEach(g -> byGroup.put(g, s.name())));
        return byGroup;
    }
}
