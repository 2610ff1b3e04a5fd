package dev.millrace.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"millrace " + (version == null ? "(development build)" : version)};
    }
}
