package dev.millrace.telemetry;

/** Receives what a {@link Race} computes from a fix, in the order it was computed. */
public interface RaceListener {
    void status(CarStatus status);

    void event(RaceEvent event);

    /** The race placed its start/finish line, none being configured, at {@code timestamp}. */
    default void finishLinePlaced(FinishLine line, long timestamp) {}
}
