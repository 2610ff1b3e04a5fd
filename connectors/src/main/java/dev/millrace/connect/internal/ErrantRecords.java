package dev.millrace.connect.internal;

import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** The sink tasks' access to the framework's errant record reporter. */
public final class ErrantRecords {
    private ErrantRecords() {}

    /** The reporter, or null when none is configured for the connector or the worker has none. */
    public static ErrantRecordReporter reporter(SinkTaskContext context) {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            // A worker older than Kafka 2.6 has no reporter.
            return null;
        }
    }
}
