package dev.millrace.connect.s3.internal;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the sink's S3 client for AWS or for any S3-compatible store. */
public final class S3ClientFactory {
    private S3ClientFactory() {}

    /** How to reach S3; without an access key id the SDK's default credentials chain is used. */
    public record Settings(
            String region,
            String endpoint,
            boolean pathStyle,
            String accessKeyId,
            String secretAccessKey) {
        @Override
        public String toString() {
            // Keeps the secret out of any log line that prints the settings.
            return "Settings[region="
                    + region
                    + ", endpoint="
                    + endpoint
                    + ", pathStyle="
                    + pathStyle
                    + ", credentials="
                    + (accessKeyId == null ? "default chain" : "static")
                    + "]";
        }
    }

    public static S3Client create(Settings settings) {
        S3ClientBuilder builder =
                S3Client.builder()
                        .region(Region.of(settings.region()))
                        .forcePathStyle(settings.pathStyle())
                        .credentialsProvider(credentials(settings));
        if (settings.endpoint() != null) {
            // S3-compatible stores reject or mishandle the checksums the SDK adds by default.
            builder.endpointOverride(URI.create(settings.endpoint()))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        if (settings.accessKeyId() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }
}
