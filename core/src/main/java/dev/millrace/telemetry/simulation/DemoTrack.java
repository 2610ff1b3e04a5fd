package dev.millrace.telemetry.simulation;

import dev.millrace.telemetry.FinishLine;

/**
 * The simulator's circuit: the 5.1 km Silverstone outline the MAT Fan Engagement stream generator
 * drives, from its start line.
 */
public final class DemoTrack {
    public static final Track TRACK = Track.fromResource("silverstone.csv");

    /** A line across the track at its start, 20 m to each side. */
    public static final FinishLine FINISH_LINE = TRACK.lineAcross(0, 20);

    private DemoTrack() {}
}
