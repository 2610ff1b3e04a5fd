package dev.millrace.local.testing;

import dev.millrace.config.S3Clients;
import dev.millrace.config.S3Settings;
import dev.millrace.local.LocalS3;
import dev.millrace.local.Ports;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API for a test: {@link LocalS3} on a free loopback port, with a client configured as
 * the platform configures one for an S3-compatible store, and small helpers to check objects.
 */
public final class S3TestStore implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "local-access-key";
    public static final String SECRET_ACCESS_KEY = "local-secret-key";

    private final LocalS3 server;
    private final S3Client client;

    private S3TestStore(LocalS3 server) {
        this.server = server;
        this.client =
                S3Clients.create(
                        new S3Settings(
                                server.endpoint(),
                                "us-east-1",
                                ACCESS_KEY_ID,
                                SECRET_ACCESS_KEY,
                                true));
    }

    public static S3TestStore start(Path dir) throws Exception {
        return new S3TestStore(
                LocalS3.start(dir, "127.0.0.1", Ports.free(), ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    public String endpoint() {
        return server.endpoint();
    }

    public S3Client client() {
        return client;
    }

    /** Stops serving, to play an outage; {@link #restart()} serves the same objects again. */
    public void stop() throws Exception {
        server.stop();
    }

    public void restart() throws Exception {
        server.restart();
    }

    public void createBuckets(String... buckets) {
        LocalS3.createBuckets(client, List.of(buckets));
    }

    public void put(String bucket, String key, byte[] bytes) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    public byte[] get(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public String contentType(String bucket, String key) {
        return client.headObject(b -> b.bucket(bucket).key(key)).contentType();
    }

    public boolean exists(String bucket, String key) {
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** Every key in the bucket, sorted. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
    }
}
