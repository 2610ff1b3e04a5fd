package dev.millrace.connect.s3.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API in the test's JVM: S3Proxy over a filesystem store in a temporary folder, on a free
 * loopback port, with static credentials. It can be stopped and started again on the same port and
 * data, to play an S3 outage.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "local-access-key";
    public static final String SECRET_ACCESS_KEY = "local-secret-key";

    private final Path dir;
    private final int port;
    private S3Proxy proxy;
    private S3Client client;

    private S3ProxyServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static S3ProxyServer start(Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3ProxyServer server = new S3ProxyServer(dir, port);
        server.start();
        return server;
    }

    public void start() throws Exception {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", endpoint());
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", ACCESS_KEY_ID);
        props.setProperty("s3proxy.credential", SECRET_ACCESS_KEY);
        props.setProperty("jclouds.provider", "filesystem");
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        proxy =
                S3Proxy.Builder.fromProperties(props)
                        .blobStore(BlobStores.create("filesystem", props))
                        .endpoint(URI.create(endpoint()))
                        .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public void stop() throws Exception {
        proxy.stop();
        proxy = null;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client configured the way the connector configures one for an S3-compatible store. */
    public S3Client client() {
        if (client == null) {
            client =
                    S3Client.builder()
                            .region(Region.US_EAST_1)
                            .endpointOverride(URI.create(endpoint()))
                            .forcePathStyle(true)
                            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                            .credentialsProvider(
                                    StaticCredentialsProvider.create(
                                            AwsBasicCredentials.create(
                                                    ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                            .build();
        }
        return client;
    }

    public void createBuckets(String... buckets) {
        for (String bucket : buckets) {
            client().createBucket(b -> b.bucket(bucket));
        }
    }

    public void put(String bucket, String key, byte[] bytes) {
        client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    public byte[] get(String bucket, String key) {
        return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public String contentType(String bucket, String key) {
        return client().headObject(b -> b.bucket(bucket).key(key)).contentType();
    }

    public boolean exists(String bucket, String key) {
        try {
            client().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** Every key in the bucket, sorted. */
    public List<String> keys(String bucket) {
        return client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
        if (proxy == null) {
            return;
        }
        try {
            stop();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
