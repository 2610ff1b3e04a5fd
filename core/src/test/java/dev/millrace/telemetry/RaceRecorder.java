package dev.millrace.telemetry;

import java.util.ArrayList;
import java.util.List;

/** Collects what a race emits, in order. */
final class RaceRecorder implements RaceListener {
    final List<CarStatus> statuses = new ArrayList<>();
    final List<RaceEvent> events = new ArrayList<>();
    final List<FinishLine> lines = new ArrayList<>();

    @Override
    public void status(CarStatus status) {
        statuses.add(status);
    }

    @Override
    public void event(RaceEvent event) {
        events.add(event);
    }

    @Override
    public void finishLinePlaced(FinishLine line, long timestamp) {
        lines.add(line);
    }

    List<CarStatus> positions() {
        return statuses.stream().filter(s -> s.type() == CarStatus.Type.POSITION).toList();
    }

    List<CarStatus> speeds() {
        return statuses.stream().filter(s -> s.type() == CarStatus.Type.SPEED).toList();
    }

    void clear() {
        statuses.clear();
        events.clear();
    }
}
