package dev.millrace.streams;

import dev.millrace.config.KafkaSettings;
import dev.millrace.streams.internal.DeadLetterDeserializationHandler;
import dev.millrace.streams.internal.DeadLetterProcessingHandler;
import dev.millrace.streams.internal.DeadLetterProductionHandler;
import dev.millrace.streams.internal.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application the way every millrace topology runs: exactly-once v2, bad
 * records to the pipeline's dead-letter topic (deserialization, processing and production
 * handlers), a failed stream thread replaced rather than the application stopped, state under the
 * data dir and client metrics bound to the registry. Topologies only build their {@link Topology}.
 */
public final class StreamsRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);

    private final String applicationId;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();

    public StreamsRunner(
            String applicationId,
            Topology topology,
            Properties properties,
            MeterRegistry registry) {
        this.applicationId = applicationId;
        this.streams = new KafkaStreams(topology, properties);
        this.streams.setUncaughtExceptionHandler(
                error -> {
                    lastFailure.set(error);
                    log.error(
                            "{}: stream thread failed, replacing it: {}",
                            applicationId,
                            DeadLetters.reason(error));
                    return StreamThreadExceptionResponse.REPLACE_THREAD;
                });
        this.streams.setStateListener(
                (newState, oldState) ->
                        log.info("{}: {} -> {}", applicationId, oldState, newState));
        this.metrics = new KafkaStreamsMetrics(streams);
        this.metrics.bindTo(registry);
    }

    /**
     * The properties of an application: the Kafka connection, then millrace's defaults, then the
     * application's own.
     *
     * @param dlqTopic where records that cannot be processed go
     */
    public static Properties properties(
            String applicationId, KafkaSettings kafka, StreamsSettings settings, String dlqTopic) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // Streams gives each thread's consumer this id with the thread's index appended.
        kafka.groupInstanceId(applicationId)
                .ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        if (kafka.replicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, kafka.replicationFactor());
        }
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, dlqTopic);
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class);
        props.put(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProductionHandler.class);
        // Every store and repartition topic must be named by the topology, so that a change to
        // the topology's shape cannot silently orphan its state.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                "read_committed");
        // A consumer fetches from a broker one request at a time. While it holds records of a busy
        // partition, its next fetch covers only the idle ones and waits out fetch.max.wait.ms
        // (500 ms by default) before the busy partition is fetched again: keep that wait short.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
        // A store is restored up to the changelog's end offset taken when restoring began. Once the
        // records left are not ones a read_committed consumer returns (a transaction's marker, an
        // aborted batch), each fetch comes back empty only after the same wait.
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
        // Under exactly-once a transaction stays open for a commit interval; Streams refuses a
        // transaction timeout shorter than that, so a longer interval lifts it.
        long transactionTimeout =
                Math.max(
                        settings.transactionTimeout().toMillis(),
                        2 * settings.commitInterval().toMillis());
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Math.min(Integer.MAX_VALUE, transactionTimeout));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                KafkaSettings.TRANSACTIONAL_RETRY_BACKOFF_MS);
        return props;
    }

    public void start() {
        log.info("{}: starting", applicationId);
        streams.start();
    }

    public String applicationId() {
        return applicationId;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Null when running; otherwise why the application is not (yet) processing. */
    public String problem() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.RUNNING) {
            return null;
        }
        Throwable failure = lastFailure.get();
        return failure == null
                ? "state " + state
                : "state " + state + ", last failure: " + DeadLetters.reason(failure);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Stops processing, committing what was processed, and leaves the group, so that the next
     * instance to start takes the partitions over at once instead of after the session timeout. The
     * state stays on disk.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration timeout) {
        streams.close(
                CloseOptions.groupMembershipOperation(
                                CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(timeout));
        metrics.close();
        log.info("{}: stopped", applicationId);
    }
}
