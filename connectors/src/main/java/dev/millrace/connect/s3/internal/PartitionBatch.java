package dev.millrace.connect.s3.internal;

import java.io.ByteArrayOutputStream;

/**
 * The open batch of one topic-partition: the contents of consecutive records, each followed by a
 * newline, and the key rendered from its first record.
 */
public final class PartitionBatch {
    private final BatchLimits limits;
    private ByteArrayOutputStream content;
    private String key;
    private long startOffset;
    private long lastOffset;
    private Long firstTimestamp;
    private int records;

    public PartitionBatch(BatchLimits limits) {
        this.limits = limits;
    }

    /** A closed batch, ready to upload. */
    public record Closed(
            String key, long startOffset, long lastOffset, int records, byte[] bytes) {}

    public boolean isEmpty() {
        return records == 0;
    }

    public long startOffset() {
        return startOffset;
    }

    /**
     * Whether a record with this timestamp and content must start a new batch: it is at least the
     * span later than the first record, or it would push the batch over the byte limit.
     */
    public boolean rotatesBefore(Long timestamp, int contentLength) {
        if (isEmpty()) {
            return false;
        }
        if (limits.maxSpanMs() > 0
                && timestamp != null
                && firstTimestamp != null
                && timestamp - firstTimestamp >= limits.maxSpanMs()) {
            return true;
        }
        return content.size() + (long) contentLength + 1 > limits.maxBytes();
    }

    public void start(String key, long offset, Long timestamp) {
        if (!isEmpty()) {
            throw new IllegalStateException("batch from " + startOffset + " is still open");
        }
        this.content = new ByteArrayOutputStream();
        this.key = key;
        this.startOffset = offset;
        this.firstTimestamp = timestamp;
    }

    public void add(long offset, byte[] bytes) {
        if (content == null) {
            throw new IllegalStateException("no batch started");
        }
        content.writeBytes(bytes);
        content.write('\n');
        lastOffset = offset;
        records++;
    }

    /** Full by count, or by bytes (a single record larger than the limit fills a batch alone). */
    public boolean isFull() {
        return records >= limits.maxRecords() || content.size() >= limits.maxBytes();
    }

    public Closed close() {
        Closed closed = new Closed(key, startOffset, lastOffset, records, content.toByteArray());
        content = null;
        key = null;
        firstTimestamp = null;
        records = 0;
        return closed;
    }
}
