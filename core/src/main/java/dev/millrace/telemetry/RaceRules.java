package dev.millrace.telemetry;

import java.time.Duration;

/**
 * How a race is judged.
 *
 * @param carTimeout how long (in event time) a car may stay silent before it stops holding back the
 *     ranking of the others
 * @param finishLine the start/finish line that ends a lap, or null to place it through the race's
 *     first fix, across the direction of travel
 * @param passMargin how far ahead, in metres, a car must get for a pass to count
 * @param passHold how long (in event time) a car must stay ahead for a pass to count, if it has not
 *     got the margin ahead before
 */
public record RaceRules(
        Duration carTimeout, FinishLine finishLine, double passMargin, Duration passHold) {

    /** Judged with the default margin and hold for passes. */
    public RaceRules(Duration carTimeout, FinishLine finishLine) {
        this(
                carTimeout,
                finishLine,
                TelemetrySettings.PASS_MARGIN.defaultValue(),
                TelemetrySettings.PASS_HOLD.defaultValue());
    }
}
