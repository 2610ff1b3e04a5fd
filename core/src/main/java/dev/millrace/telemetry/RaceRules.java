package dev.millrace.telemetry;

import java.time.Duration;
import java.time.Instant;

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
 * @param maxLead how far a fix's timestamp may run ahead of its record's time (when it reached
 *     Kafka); a fix further ahead is refused, since it would hold the race's clock in the future
 */
public record RaceRules(
        Duration carTimeout,
        FinishLine finishLine,
        double passMargin,
        Duration passHold,
        Duration maxLead) {

    /** Judged with the default lead allowed to a fix. */
    public RaceRules(
            Duration carTimeout, FinishLine finishLine, double passMargin, Duration passHold) {
        this(
                carTimeout,
                finishLine,
                passMargin,
                passHold,
                TelemetrySettings.MAX_LEAD.defaultValue());
    }

    /** Judged with the default margin and hold for passes. */
    public RaceRules(Duration carTimeout, FinishLine finishLine) {
        this(
                carTimeout,
                finishLine,
                TelemetrySettings.PASS_MARGIN.defaultValue(),
                TelemetrySettings.PASS_HOLD.defaultValue());
    }

    /**
     * The fix a {@code carCoordinates} payload holds, read from a record stamped {@code
     * recordTimestamp} (negative: unknown).
     *
     * @throws MalformedFixException when the payload is no fix, or its timestamp runs more than
     *     {@link #maxLead()} ahead of the record's time: one car's clock in the future would
     *     otherwise stall the positions of every other car until that time
     */
    public Fix fix(byte[] payload, long recordTimestamp) {
        Fix fix = FixJson.parse(payload);
        if (recordTimestamp >= 0 && fix.timestamp() - recordTimestamp > maxLead.toMillis()) {
            throw new MalformedFixException(
                    "timestamp "
                            + fix.timestamp()
                            + " ("
                            + Instant.ofEpochMilli(fix.timestamp())
                            + ") runs "
                            + (fix.timestamp() - recordTimestamp)
                            + " ms ahead of the time the fix reached Kafka ("
                            + Instant.ofEpochMilli(recordTimestamp)
                            + "); "
                            + TelemetrySettings.MAX_LEAD.name()
                            + " allows "
                            + maxLead.toMillis()
                            + " ms");
        }
        return fix;
    }
}
