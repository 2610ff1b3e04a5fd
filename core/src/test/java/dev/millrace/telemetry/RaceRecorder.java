package dev.millrace.telemetry;

import java.util.ArrayList;
import java.util.List;

/** Collects what a race emits, in order. */
public final class RaceRecorder implements RaceListener {
    public final List<CarStatus> statuses = new ArrayList<>();
    public final List<RaceEvent> events = new ArrayList<>();
    public final List<FinishLine> lines = new ArrayList<>();

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

    public List<CarStatus> positions() {
        return statuses.stream().filter(s -> s.type() == CarStatus.Type.POSITION).toList();
    }

    public List<CarStatus> speeds() {
        return statuses.stream().filter(s -> s.type() == CarStatus.Type.SPEED).toList();
    }

    public void clear() {
        statuses.clear();
        events.clear();
    }
}
