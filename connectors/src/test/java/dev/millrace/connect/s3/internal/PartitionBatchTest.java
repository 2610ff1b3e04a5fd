package dev.millrace.connect.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartitionBatchTest {

    @Test
    void joinsContentsWithNewlinesAndKeepsTheFirstRecordsKeyAndOffset() {
        PartitionBatch batch = new PartitionBatch(new BatchLimits(10, 1000, 0));
        batch.start("t/0/00000000000000000005", 5, 100L);
        batch.add(5, bytes("a"));
        batch.add(6, bytes("bc"));

        PartitionBatch.Closed closed = batch.close();

        assertThat(closed.key()).isEqualTo("t/0/00000000000000000005");
        assertThat(closed.startOffset()).isEqualTo(5);
        assertThat(closed.lastOffset()).isEqualTo(6);
        assertThat(closed.records()).isEqualTo(2);
        assertThat(new String(closed.bytes(), StandardCharsets.UTF_8)).isEqualTo("a\nbc\n");
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void isFullAtTheRecordCount() {
        PartitionBatch batch = new PartitionBatch(new BatchLimits(2, 1000, 0));
        batch.start("k", 0, 0L);
        batch.add(0, bytes("a"));
        assertThat(batch.isFull()).isFalse();
        batch.add(1, bytes("b"));
        assertThat(batch.isFull()).isTrue();
    }

    @Test
    void rotatesBeforeARecordThatWouldExceedTheBytes() {
        PartitionBatch batch = new PartitionBatch(new BatchLimits(100, 6, 0));
        batch.start("k", 0, 0L);
        batch.add(0, bytes("ab"));

        assertThat(batch.rotatesBefore(0L, 2)).isFalse(); // 3 + 3 = 6
        assertThat(batch.rotatesBefore(0L, 3)).isTrue(); // 3 + 4 = 7
    }

    @Test
    void aRecordLargerThanTheLimitFillsABatchAlone() {
        PartitionBatch batch = new PartitionBatch(new BatchLimits(100, 4, 0));
        assertThat(batch.rotatesBefore(0L, 10)).isFalse();
        batch.start("k", 0, 0L);
        batch.add(0, bytes("0123456789"));
        assertThat(batch.isFull()).isTrue();
    }

    @Test
    void rotatesByRecordTimeOnlyWhenASpanIsSet() {
        PartitionBatch spanned = new PartitionBatch(new BatchLimits(100, 1000, 1000));
        spanned.start("k", 0, 5000L);
        spanned.add(0, bytes("a"));
        PartitionBatch unbounded = new PartitionBatch(new BatchLimits(100, 1000, 0));
        unbounded.start("k", 0, 5000L);
        unbounded.add(0, bytes("a"));

        assertThat(spanned.rotatesBefore(5999L, 1)).isFalse();
        assertThat(spanned.rotatesBefore(6000L, 1)).isTrue();
        assertThat(spanned.rotatesBefore(null, 1)).isFalse();
        assertThat(unbounded.rotatesBefore(Long.MAX_VALUE, 1)).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
