package dev.millrace.telemetry;

import dev.millrace.config.Config;
import dev.millrace.config.ConfigKey;
import dev.millrace.config.ConfigKeys;
import java.time.Duration;
import java.util.List;

/** Settings of the telemetry pipeline. */
public final class TelemetrySettings {
    public static final ConfigKey<Duration> CAR_TIMEOUT =
            ConfigKey.duration(
                    "telemetry.car-timeout",
                    Duration.ofSeconds(5),
                    Duration.ofMillis(1),
                    "How long (in event time) a car may stay silent before positions are ranked"
                            + " without waiting for it.");
    public static final ConfigKey<FinishLine> FINISH_LINE =
            ConfigKey.of(
                    "telemetry.finish-line",
                    "line",
                    null,
                    "The start/finish line as lat1,long1,lat2,long2 (decimal degrees); a lap ends"
                            + " when a car's path crosses it. Empty: each race places it through"
                            + " its first fix, across the direction of travel, and keeps it.",
                    text -> text.isBlank() ? null : FinishLine.parse(text),
                    FinishLine::toString);
    public static final ConfigKey<Double> PASS_MARGIN =
            ConfigKey.of(
                    "telemetry.pass-margin",
                    "metres",
                    10.0,
                    "How far ahead a car must get for a pass to count (as an overtake and in the"
                            + " positions); a pass undone before it counts is none.",
                    TelemetrySettings::metres,
                    String::valueOf);
    public static final ConfigKey<Duration> PASS_HOLD =
            ConfigKey.duration(
                    "telemetry.pass-hold",
                    Duration.ofSeconds(5),
                    Duration.ZERO,
                    "How long (in event time) a car must stay ahead for a pass to count, when it"
                            + " has not got telemetry.pass-margin ahead before.");

    public static final ConfigKey<Duration> MAX_LEAD =
            ConfigKey.duration(
                    "telemetry.max-lead",
                    Duration.ofMinutes(1),
                    Duration.ZERO,
                    "How far a fix's timestamp may run ahead of the time it reached Kafka (its"
                            + " record's time); a fix further ahead goes to the dead-letter topic,"
                            + " so that one car's clock in the future cannot stall the positions"
                            + " of the others.");

    public static final ConfigKeys KEYS =
            ConfigKeys.of(List.of(CAR_TIMEOUT, FINISH_LINE, PASS_MARGIN, PASS_HOLD, MAX_LEAD));

    private TelemetrySettings() {}

    public static RaceRules rules(Config config) {
        return new RaceRules(
                config.get(CAR_TIMEOUT),
                config.get(FINISH_LINE),
                config.get(PASS_MARGIN),
                config.get(PASS_HOLD),
                config.get(MAX_LEAD));
    }

    private static double metres(String text) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number of metres");
        }
        if (!(value >= 0 && value < 1000)) {
            throw new IllegalArgumentException("must be between 0 and 1000 metres");
        }
        return value;
    }
}
