package dev.millrace.stack.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What a pipeline's entry has acknowledged, in order: written by the feed, read by the probes and
 * the verdict.
 */
final class Acknowledged<T> {
    private final List<T> items = new ArrayList<>();

    synchronized void add(T item) {
        items.add(item);
    }

    synchronized int size() {
        return items.size();
    }

    synchronized List<T> snapshot() {
        return new ArrayList<>(items);
    }

    /** The last item, once more than {@code before} have been acknowledged; null until then. */
    synchronized T lastAfter(int before) {
        return items.size() > before ? items.get(items.size() - 1) : null;
    }
}
