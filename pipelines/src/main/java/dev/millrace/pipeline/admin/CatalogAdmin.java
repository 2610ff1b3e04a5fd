package dev.millrace.pipeline.admin;

import dev.millrace.catalog.TopicDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes a cluster match the topic catalog, idempotently: missing topics are created with their
 * partitions and configs, and an existing topic whose catalog configs differ is altered to match.
 * Partition counts are never changed on an existing topic, since that would move keys between
 * partitions and break their order; a difference is reported instead.
 */
public final class CatalogAdmin {
    private static final long TIMEOUT_SECONDS = 30;

    /** What {@link #ensure} did. */
    public record Outcome(List<String> created, List<String> aligned, List<String> warnings) {}

    /** A catalog topic as it is on the cluster. */
    public record TopicState(
            TopicDefinition definition,
            boolean exists,
            int partitions,
            Map<String, String> differingConfigs) {}

    private final Admin admin;
    private final int replicationFactor;

    public CatalogAdmin(Admin admin, int replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    public Outcome ensure(Collection<TopicDefinition> catalog) throws Exception {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (TopicDefinition topic : catalog) {
            if (!existing.contains(topic.name())) {
                Optional<Short> replicas =
                        replicationFactor > 0
                                ? Optional.of((short) replicationFactor)
                                : Optional.empty();
                missing.add(
                        new NewTopic(topic.name(), Optional.of(topic.partitions()), replicas)
                                .configs(topic.configs()));
            }
        }
        List<String> created = new ArrayList<>();
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing);
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        List<String> aligned = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (TopicState state : describe(catalog)) {
            if (!state.exists() || created.contains(state.definition().name())) {
                continue;
            }
            if (state.partitions() != state.definition().partitions()) {
                warnings.add(
                        state.definition().name()
                                + " has "
                                + state.partitions()
                                + " partitions, the catalog says "
                                + state.definition().partitions()
                                + "; left as it is");
            }
            if (!state.differingConfigs().isEmpty()) {
                ConfigResource resource =
                        new ConfigResource(ConfigResource.Type.TOPIC, state.definition().name());
                List<AlterConfigOp> ops = new ArrayList<>();
                state.definition()
                        .configs()
                        .forEach(
                                (k, v) ->
                                        ops.add(
                                                new AlterConfigOp(
                                                        new ConfigEntry(k, v),
                                                        AlterConfigOp.OpType.SET)));
                admin.incrementalAlterConfigs(Map.of(resource, ops))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                aligned.add(state.definition().name());
            }
        }
        return new Outcome(created, aligned, warnings);
    }

    /** Each catalog topic as the cluster has it. */
    public List<TopicState> describe(Collection<TopicDefinition> catalog) throws Exception {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> present =
                catalog.stream().map(TopicDefinition::name).filter(existing::contains).toList();
        Map<String, TopicDescription> descriptions =
                present.isEmpty()
                        ? Map.of()
                        : admin.describeTopics(present)
                                .allTopicNames()
                                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs =
                present.isEmpty()
                        ? Map.of()
                        : admin.describeConfigs(
                                        present.stream()
                                                .map(
                                                        n ->
                                                                new ConfigResource(
                                                                        ConfigResource.Type.TOPIC,
                                                                        n))
                                                .toList())
                                .all()
                                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<TopicState> states = new ArrayList<>();
        for (TopicDefinition topic : catalog) {
            TopicDescription description = descriptions.get(topic.name());
            if (description == null) {
                states.add(new TopicState(topic, false, 0, Map.of()));
                continue;
            }
            Config config =
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            Map<String, String> differing = new HashMap<>();
            topic.configs()
                    .forEach(
                            (k, v) -> {
                                ConfigEntry entry = config == null ? null : config.get(k);
                                String actual = entry == null ? null : entry.value();
                                if (!v.equals(actual)) {
                                    differing.put(k, actual);
                                }
                            });
            states.add(new TopicState(topic, true, description.partitions().size(), differing));
        }
        return states;
    }
}
