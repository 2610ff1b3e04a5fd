package dev.millrace.stack.chaos;

import dev.millrace.stack.LocalStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * One pipeline's side of a chaos run: what outside the stack it needs, the known input it sends at
 * a steady rate through the pipeline's real entry, how to tell that the pipeline answers, the
 * faults of its own, and the verdict at the end. The faults every pipeline goes through are {@link
 * ChaosRun}'s.
 */
interface PipelineChaos extends AutoCloseable {
    /** A fault to inject; it returns once the fault is over (the part restarted). */
    interface Fault {
        void inject() throws Exception;
    }

    /**
     * One line of the verdict.
     *
     * @param sent what the pipeline's entry acknowledged, empty where it does not apply
     */
    record Row(
            String name, String sent, long expected, long delivered, long lost, long duplicated) {}

    /** What a run delivered, and whether that is what the pipeline promises. */
    record Verdict(List<Row> rows, List<String> notes, boolean passed) {}

    String pipeline();

    /**
     * Starts what the pipeline needs outside the stack (upstream brokers, a data server) under
     * {@code dir}; returns the settings the chaos stack runs with for it.
     */
    default Map<String, String> prepare(Path dir) throws Exception {
        return Map.of();
    }

    /** Starts watching the outputs and sending the input. */
    void start(LocalStack stack) throws Exception;

    /** Inputs acknowledged by the pipeline's entry so far. */
    int sent();

    /**
     * Whether the output of an input sent after the first {@code sentBefore} has come out, or null
     * while no such input has been sent yet.
     */
    BooleanSupplier answeredAfter(int sentBefore);

    /** The partition whose leader the Kafka node fault kills: the one the input goes through. */
    TopicPartitionInfo inputPartition(Admin admin) throws Exception;

    /** Partition 0 of {@code topic}, for a pipeline whose input spreads over every partition. */
    static TopicPartitionInfo firstPartition(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .get(0);
    }

    /** Whether the pipeline goes through the stack's MQTT broker. */
    boolean usesMqtt();

    /** The pipeline's own faults, by name, injected after the common ones. */
    default Map<String, Fault> faults() {
        return new LinkedHashMap<>();
    }

    /** Stops sending, once every fault is over. */
    void stop() throws Exception;

    /** Waits for the outputs to settle, then compares them with what was sent. */
    Verdict verify(LocalStack stack) throws Exception;

    @Override
    default void close() throws Exception {}
}
