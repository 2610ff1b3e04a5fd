package dev.millrace.connect.s3.internal;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Tells S3 failures that may pass (retry the batch) from those that will not. */
public final class S3Failures {
    private S3Failures() {}

    /**
     * No answer (I/O, timeouts), a server error, throttling, or an error S3 documents as worth
     * retrying. Everything else (access denied, no such bucket, a bad request) needs a person.
     */
    public static boolean isTransient(SdkException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            if (status >= 500 || status == 408 || status == 429 || s3.isThrottlingException()) {
                return true;
            }
            String code = errorCode(s3);
            return code.equals("RequestTimeout")
                    || code.equals("SlowDown")
                    || code.equals("ExpiredToken")
                    || code.equals("RequestTimeTooSkewed");
        }
        return e.retryable();
    }

    /** A 404 for an object (not for a bucket). */
    public static boolean isMissingObject(SdkException e) {
        if (!(e instanceof S3Exception s3) || s3.statusCode() != 404) {
            return false;
        }
        String code = errorCode(s3);
        // HEAD answers carry no body, hence no code.
        return code.isEmpty() || code.equals("NoSuchKey") || code.equals("NotFound");
    }

    /** One line: the status and S3 error code, or the client's reason. */
    public static String describe(Throwable e) {
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            String message =
                    s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage();
            return "S3 answered "
                    + s3.statusCode()
                    + (code.isEmpty() ? "" : " " + code)
                    + (message == null || message.isBlank() ? "" : ": " + firstLine(message));
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : firstLine(message);
    }

    private static String errorCode(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null ? "" : code;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }
}
