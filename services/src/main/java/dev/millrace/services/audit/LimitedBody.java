package dev.millrace.services.audit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read as it arrives, which fails with {@link OverLimit} once more than its limit
 * has been read: an oversized body is refused without being held whole.
 */
final class LimitedBody extends FilterInputStream {
    /** The body went over its limit; what is left of it is unread. */
    static final class OverLimit extends IOException {
        OverLimit(long limit) {
            super("the body is over " + limit + " bytes");
        }
    }

    private final long limit;
    private long read;

    LimitedBody(InputStream body, long limit) {
        super(body);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws OverLimit {
        read += n;
        if (read > limit) {
            throw new OverLimit(limit);
        }
    }
}
