package dev.millrace.catalog;

import java.util.List;

/** The S3 buckets the pipelines write to by default; the local stack creates them at start. */
public final class Buckets {
    public static final String WIS2_CACHE = "millrace-wis2-cache";
    public static final String AUDIT_ARCHIVE = "millrace-audit-archive";
    public static final String AUDIT_FAILED = "millrace-audit-failed";
    public static final String AUDIT_STAGING = "millrace-audit-staging";

    public static final List<String> DEFAULTS =
            List.of(WIS2_CACHE, AUDIT_ARCHIVE, AUDIT_FAILED, AUDIT_STAGING);

    private Buckets() {}
}
