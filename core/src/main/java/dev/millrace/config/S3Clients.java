package dev.millrace.config;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3 clients from {@link S3Settings}. Against an S3-compatible server they use path-style
 * addressing and compute checksums only when an operation requires them, which such servers expect;
 * against AWS, an empty endpoint and empty keys take the regional endpoint and the default
 * credentials chain.
 */
public final class S3Clients {
    private S3Clients() {}

    public static S3Client create(S3Settings s3) {
        S3ClientBuilder builder =
                S3Client.builder().region(Region.of(s3.region())).forcePathStyle(s3.pathStyle());
        if (!s3.endpoint().isBlank()) {
            // S3-compatible stores reject or mishandle the checksums the SDK adds by default.
            builder.endpointOverride(URI.create(s3.endpoint()))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (s3.accessKey().isBlank()) {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        } else {
            builder.credentialsProvider(
                    StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
        }
        return builder.build();
    }
}
