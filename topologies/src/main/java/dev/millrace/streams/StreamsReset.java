package dev.millrace.streams;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Rewinds a stopped Streams application to the start of its input, as the Kafka Streams reset tool
 * does: its committed offsets go back to the earliest offset of each input partition and its
 * internal topics (changelogs, repartition topics) are deleted, so its next start rebuilds its
 * state from the input alone. Local state is the caller's to wipe ({@code KafkaStreams.cleanUp()}).
 */
public final class StreamsReset {
    private static final long API_TIMEOUT_S = 30;

    private StreamsReset() {}

    /** What a reset did. */
    public record Outcome(Map<TopicPartition, Long> rewoundTo, List<String> deletedTopics) {}

    /**
     * @throws IllegalStateException when the application still has live members: a reset under a
     *     running instance would be overwritten by its next commit
     */
    public static Outcome reset(
            Admin admin, String applicationId, Collection<String> inputTopics, Duration timeout)
            throws Exception {
        List<String> members = members(admin, applicationId);
        if (!members.isEmpty()) {
            throw new IllegalStateException(
                    applicationId
                            + " has "
                            + members.size()
                            + " live member(s) "
                            + members
                            + ": stop every instance before resetting it");
        }
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<String, TopicDescription> topics =
                admin.describeTopics(inputTopics)
                        .allTopicNames()
                        .get(API_TIMEOUT_S, TimeUnit.SECONDS);
        topics.values()
                .forEach(
                        t ->
                                t.partitions()
                                        .forEach(
                                                p ->
                                                        earliest.put(
                                                                new TopicPartition(
                                                                        t.name(), p.partition()),
                                                                OffsetSpec.earliest())));
        Map<TopicPartition, Long> rewound = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        admin.listOffsets(earliest)
                .all()
                .get(API_TIMEOUT_S, TimeUnit.SECONDS)
                .forEach(
                        (partition, info) -> {
                            rewound.put(partition, info.offset());
                            offsets.put(partition, new OffsetAndMetadata(info.offset()));
                        });
        admin.alterConsumerGroupOffsets(applicationId, offsets)
                .all()
                .get(API_TIMEOUT_S, TimeUnit.SECONDS);

        List<String> internal = internalTopics(admin, applicationId);
        if (!internal.isEmpty()) {
            admin.deleteTopics(internal).all().get(API_TIMEOUT_S, TimeUnit.SECONDS);
            awaitGone(admin, internal, timeout);
        }
        return new Outcome(rewound, internal);
    }

    /** The members of the application's group; none when the group does not exist. */
    public static List<String> members(Admin admin, String applicationId) throws Exception {
        try {
            ConsumerGroupDescription group =
                    admin.describeConsumerGroups(List.of(applicationId))
                            .describedGroups()
                            .get(applicationId)
                            .get(API_TIMEOUT_S, TimeUnit.SECONDS);
            return group.members().stream().map(m -> m.clientId() + "@" + m.host()).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    static List<String> internalTopics(Admin admin, String applicationId) throws Exception {
        Set<String> names =
                admin.listTopics(new ListTopicsOptions().listInternal(false))
                        .names()
                        .get(API_TIMEOUT_S, TimeUnit.SECONDS);
        return names.stream()
                .filter(n -> n.startsWith(applicationId + "-"))
                .filter(n -> n.endsWith("-changelog") || n.endsWith("-repartition"))
                .sorted()
                .toList();
    }

    /** Topic deletion completes in the background; the application must not restart before. */
    private static void awaitGone(Admin admin, List<String> topics, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> names = admin.listTopics().names().get(API_TIMEOUT_S, TimeUnit.SECONDS);
            if (topics.stream().noneMatch(names::contains)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "internal topics " + topics + " not deleted within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
