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
                    FinishLine.parse("52.070872,-1.0147,52.070512,-1.0147"),
                    "The start/finish line as lat1,long1,lat2,long2 (decimal degrees); a lap ends"
                            + " when a car's path crosses it. The default is the simulator's"
                            + " track.",
                    FinishLine::parse,
                    FinishLine::toString);

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(CAR_TIMEOUT, FINISH_LINE));

    private TelemetrySettings() {}

    public static RaceRules rules(Config config) {
        return new RaceRules(config.get(CAR_TIMEOUT), config.get(FINISH_LINE));
    }
}
