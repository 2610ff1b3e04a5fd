package dev.millrace.local;

import dev.millrace.config.S3Settings;
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
 * An S3-compatible server (S3Proxy over a filesystem store under the data dir) with static local
 * credentials, and the project's buckets created at start.
 */
public final class LocalS3 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalS3.class);

    private final S3Proxy proxy;

    private LocalS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    public static LocalS3 start(Path dir, String host, int port, S3Settings s3) throws Exception {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", "http://" + host + ":" + port);
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", s3.accessKey());
        props.setProperty("s3proxy.credential", s3.secretKey());
        props.setProperty("jclouds.provider", "filesystem");
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        S3Proxy proxy =
                S3Proxy.Builder.fromProperties(props)
                        .blobStore(BlobStores.create("filesystem", props))
                        .endpoint(URI.create("http://" + host + ":" + port))
                        .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3 server did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new LocalS3(proxy);
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
        proxy.stop();
    }
}
