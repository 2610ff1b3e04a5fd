package dev.millrace.connect.s3.internal;

/** One S3 object. */
public record S3Location(String bucket, String key) {
    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
