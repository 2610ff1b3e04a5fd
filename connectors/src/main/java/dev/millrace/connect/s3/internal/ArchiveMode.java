package dev.millrace.connect.s3.internal;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/** How the sink turns records into objects: one per record, or rotated batches. */
public interface ArchiveMode {

    /** Writes what the records make; returns once every object and completion is written. */
    void put(Collection<SinkRecord> records);

    /** The offsets Connect may commit: none past a record whose object is not written. */
    Map<TopicPartition, OffsetAndMetadata> committable(
            Map<TopicPartition, OffsetAndMetadata> current);

    /** Forgets the partitions taken away; whoever gets them next replays them. */
    void close(Collection<TopicPartition> revoked);
}
