package dev.millrace.config;

import java.util.List;

/**
 * How a component reaches S3. Locally that is the stack's S3-compatible server with path-style
 * addressing and static credentials; on AWS leave the endpoint and keys empty to use the regional
 * endpoint and the default credentials chain (task role, instance profile).
 */
public record S3Settings(
        String endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {

    public static final ConfigKey<String> ENDPOINT =
            ConfigKey.string(
                    "s3.endpoint",
                    "http://127.0.0.1:9000",
                    "S3 endpoint URL; empty for the AWS regional endpoint. The local stack uses its"
                            + " own server.");
    public static final ConfigKey<String> REGION =
            ConfigKey.string("s3.region", "us-east-1", "S3 region.");
    public static final ConfigKey<String> ACCESS_KEY =
            ConfigKey.string(
                    "s3.access-key",
                    "millrace",
                    "S3 access key id; empty uses the default AWS credentials chain.");
    public static final ConfigKey<String> SECRET_KEY =
            ConfigKey.secret(
                    "s3.secret-key",
                    "millrace-local-secret",
                    "S3 secret access key (the local stack's default; set it through the"
                            + " environment elsewhere).");
    public static final ConfigKey<Boolean> PATH_STYLE =
            ConfigKey.bool(
                    "s3.path-style",
                    true,
                    "Path-style bucket addressing, as S3-compatible servers expect.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(List.of(ENDPOINT, REGION, ACCESS_KEY, SECRET_KEY, PATH_STYLE));

    public static S3Settings from(Config config) {
        return new S3Settings(
                config.get(ENDPOINT),
                config.get(REGION),
                config.get(ACCESS_KEY),
                config.get(SECRET_KEY),
                config.get(PATH_STYLE));
    }

    public S3Settings withEndpoint(String newEndpoint) {
        return new S3Settings(newEndpoint, region, accessKey, secretKey, pathStyle);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint="
                + endpoint
                + ", region="
                + region
                + ", credentials="
                + (accessKey.isBlank() ? "default chain" : "static")
                + ", pathStyle="
                + pathStyle
                + "]";
    }
}
