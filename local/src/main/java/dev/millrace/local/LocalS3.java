package dev.millrace.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3-compatible server: S3Proxy over a filesystem store under its folder, with static
 * credentials. It can be stopped and started again on the same port and objects, to play an outage.
 */
public final class LocalS3 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalS3.class);
    private static final long START_NANOS = 30_000_000_000L;

    private final Path dir;
    private final String host;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    private LocalS3(Path dir, String host, int port, String accessKey, String secretKey) {
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server on {@code host:port} that accepts requests signed with these credentials. */
    public static LocalS3 start(Path dir, String host, int port, String accessKey, String secretKey)
            throws Exception {
        LocalS3 s3 = new LocalS3(dir, host, port, accessKey, secretKey);
        s3.startServer();
        return s3;
    }

    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    /** Stops serving; the objects stay on disk. */
    public synchronized void stop() throws Exception {
        if (proxy != null) {
            try {
                proxy.stop();
            } finally {
                proxy = null;
            }
        }
    }

    /** Starts serving again after {@link #stop()}, on the same port and objects. */
    public synchronized void restart() throws Exception {
        stop();
        startServer();
    }

    private synchronized void startServer() throws Exception {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", endpoint());
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", accessKey);
        props.setProperty("s3proxy.credential", secretKey);
        props.setProperty("jclouds.provider", "filesystem");
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        S3Proxy started =
                S3Proxy.Builder.fromProperties(props)
                        .blobStore(BlobStores.create("filesystem", props))
                        .endpoint(URI.create(endpoint()))
                        .build();
        started.start();
        long deadline = System.nanoTime() + START_NANOS;
        while (!"STARTED".equals(started.getState())) {
            if (System.nanoTime() > deadline) {
                started.stop();
                throw new IllegalStateException("S3 server did not start: " + started.getState());
            }
            Thread.sleep(10);
        }
        proxy = started;
    }

    /** Creates each bucket that does not exist yet. */
    public static void createBuckets(S3Client s3, Collection<String> buckets) {
        for (String bucket : buckets) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
                log.info("created bucket {}", bucket);
            } catch (BucketAlreadyOwnedByYouException e) {
                log.debug("bucket {} exists", bucket);
            } catch (S3Exception e) {
                if (e.statusCode() != 409) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
