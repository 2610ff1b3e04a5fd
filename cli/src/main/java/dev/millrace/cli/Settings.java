package dev.millrace.cli;

import dev.millrace.audit.AuditSettings;
import dev.millrace.config.CommonSettings;
import dev.millrace.config.ConfigKeys;
import dev.millrace.config.KafkaSettings;
import dev.millrace.config.S3Settings;
import dev.millrace.local.LocalStackSettings;
import dev.millrace.streams.StreamsSettings;
import dev.millrace.telemetry.TelemetrySettings;
import dev.millrace.wis2.Wis2Settings;

/** Every key millrace knows, from every component: what the unknown-key check compares to. */
public final class Settings {
    public static final ConfigKeys ALL =
            ConfigKeys.union(
                    CommonSettings.KEYS,
                    LocalStackSettings.KEYS,
                    KafkaSettings.KEYS,
                    StreamsSettings.KEYS,
                    S3Settings.KEYS,
                    TelemetrySettings.KEYS,
                    Wis2Settings.KEYS,
                    AuditSettings.KEYS);

    private Settings() {}
}
