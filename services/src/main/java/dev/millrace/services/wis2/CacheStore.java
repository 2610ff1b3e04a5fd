package dev.millrace.services.wis2;

import dev.millrace.wis2.CacheStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The cache bucket: objects written once per (data_id, pubtime), read by anyone, expired. */
final class CacheStore implements CacheStep.ObjectStore {
    private final S3Client s3;
    private final String bucket;

    CacheStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(data));
    }

    /** The object's bytes and content type, or empty when there is no such object. */
    Optional<ResponseBytes<GetObjectResponse>> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Deletes the objects written before {@code now - retention}; returns how many. */
    int expire(Duration retention, Instant now) {
        Instant horizon = now.minus(retention);
        List<String> expired = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            if (object.lastModified().isBefore(horizon)) {
                expired.add(object.key());
            }
        }
        expired.forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        return expired.size();
    }
}
