package dev.millrace.connect.s3.internal;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * The S3 operations of the sink. Every write is a whole object at a deterministic key, so doing one
 * again after a failure is harmless. S3 failures come out as {@link SdkException}; only outcomes
 * caused by the record itself are {@link UnwritableRecordException}s.
 */
public final class ObjectStore {
    private final S3Client s3;

    public ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    /** Writes the object and returns its size in bytes. */
    public long put(S3Location to, byte[] bytes, String contentType) {
        s3.putObject(
                b -> b.bucket(to.bucket()).key(to.key()).contentType(contentType),
                RequestBody.fromBytes(bytes));
        return bytes.length;
    }

    /**
     * Copies a claim-check object server-side and returns the copy's size; the source is deleted
     * afterwards when asked. A source that is already gone counts as copied when the destination
     * exists: a redelivered record whose first delivery copied and deleted it.
     *
     * @throws UnwritableRecordException when neither the source nor the destination exists
     */
    public long copy(S3Location from, S3Location to, String contentType, boolean deleteSource)
            throws UnwritableRecordException {
        if (from.equals(to)) {
            return sizeOf(to, from);
        }
        try {
            s3.copyObject(
                    b ->
                            b.sourceBucket(from.bucket())
                                    .sourceKey(from.key())
                                    .destinationBucket(to.bucket())
                                    .destinationKey(to.key())
                                    .metadataDirective(MetadataDirective.REPLACE)
                                    .contentType(contentType));
        } catch (SdkException e) {
            if (!S3Failures.isMissingObject(e)) {
                throw e;
            }
            return sizeOf(to, from);
        }
        long size = sizeOf(to, from);
        if (deleteSource) {
            s3.deleteObject(b -> b.bucket(from.bucket()).key(from.key()));
        }
        return size;
    }

    private long sizeOf(S3Location to, S3Location from) throws UnwritableRecordException {
        try {
            return s3.headObject(b -> b.bucket(to.bucket()).key(to.key())).contentLength();
        } catch (SdkException e) {
            if (S3Failures.isMissingObject(e)) {
                throw new UnwritableRecordException(
                        "claim-check object " + from + " does not exist, nor does " + to);
            }
            throw e;
        }
    }
}
