package dev.millrace.connect.internal;

/** The version the connectors report to the Connect worker. */
public final class Version {
    private static final String UNKNOWN = "unknown";

    private Version() {}

    /**
     * The jar's Implementation-Version; classes loaded from a directory (tests, IDE) have no
     * manifest.
     */
    public static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? UNKNOWN : version;
    }
}
