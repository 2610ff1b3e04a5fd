package dev.millrace.services.wis2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** Committing records that finish out of order, and resuming from such a commit. */
class PartitionProgressTest {

    @Test
    void commitsUpToTheFirstUnfinishedRecordAndNamesTheFinishedOnesPastIt() {
        PartitionProgress progress = PartitionProgress.resume(null, 10);
        for (long offset = 10; offset <= 14; offset++) {
            assertThat(progress.start(offset)).isTrue();
        }
        progress.finish(10);
        progress.finish(12);
        progress.finish(14);

        OffsetAndMetadata commit = progress.commitPoint();

        assertThat(commit.offset()).isEqualTo(11);
        assertThat(PartitionProgress.decode(11, commit.metadata())).containsExactly(12L, 14L);
        assertThat(progress.inFlight()).isEqualTo(2);
    }

    @Test
    void allFinishedCommitsPastTheLastPolledRecordWithNoMetadata() {
        PartitionProgress progress = PartitionProgress.resume(null, 0);
        progress.start(0);
        // Offset 1 is a transaction marker: never polled.
        progress.start(2);
        progress.finish(2);
        progress.finish(0);

        assertThat(progress.commitPoint()).isEqualTo(new OffsetAndMetadata(3, ""));
    }

    @Test
    void aResumedPartitionSkipsWhatFinishedBeforeAndKeepsNamingIt() {
        PartitionProgress before = PartitionProgress.resume(null, 10);
        for (long offset = 10; offset <= 13; offset++) {
            before.start(offset);
        }
        before.finish(12);
        before.finish(13);
        OffsetAndMetadata committed = before.commitPoint();

        PartitionProgress after = PartitionProgress.resume(committed, 0);
        assertThat(after.start(10)).isTrue();
        after.finish(10);
        // Committed before offset 11 is polled again: 12 and 13 must still be named.
        OffsetAndMetadata early = after.commitPoint();
        assertThat(early.offset()).isEqualTo(11);
        assertThat(PartitionProgress.decode(11, early.metadata())).containsExactly(12L, 13L);

        assertThat(after.start(11)).isTrue();
        assertThat(after.start(12)).as("finished before: skipped").isFalse();
        assertThat(after.start(13)).isFalse();
        after.finish(11);
        assertThat(after.commitPoint()).isEqualTo(new OffsetAndMetadata(14, ""));
    }

    @Test
    void hundredsOfFinishedOffsetsFitKafkasMetadataLimit() {
        TreeSet<Long> done = new TreeSet<>();
        for (long offset = 1; offset <= 512; offset++) {
            done.add(1_000_000_000L + offset * 3);
        }
        String metadata = PartitionProgress.encode(1_000_000_000L, done);
        assertThat(metadata.length()).isLessThan(4096);
        assertThat(PartitionProgress.decode(1_000_000_000L, metadata))
                .containsExactlyElementsOf(done);
    }
}
