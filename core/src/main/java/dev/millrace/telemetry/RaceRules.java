package dev.millrace.telemetry;

import java.time.Duration;

/**
 * How a race is judged.
 *
 * @param carTimeout how long (in event time) a car may stay silent before it stops holding back the
 *     ranking of the others
 * @param finishLine the start/finish line that ends a lap
 */
public record RaceRules(Duration carTimeout, FinishLine finishLine) {}
