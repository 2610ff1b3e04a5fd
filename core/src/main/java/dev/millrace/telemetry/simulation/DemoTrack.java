package dev.millrace.telemetry.simulation;

import dev.millrace.telemetry.FinishLine;

/**
 * The simulator's circuit: a 3.4 km loop of two long curved straights and tight ends, the
 * start/finish line across the middle of the bottom straight.
 */
public final class DemoTrack {
    public static final Track TRACK =
            Track.closedCurve(
                    52.0733,
                    -1.0147,
                    t -> 700 * Math.sin(t) + 90 * Math.sin(2 * t),
                    t -> -350 * Math.cos(t) + 60 * Math.cos(3 * t),
                    20_000);

    public static final FinishLine FINISH_LINE = TRACK.lineAcross(0, 20);

    private DemoTrack() {}
}
