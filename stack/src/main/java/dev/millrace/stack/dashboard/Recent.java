package dev.millrace.stack.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The newest {@code capacity} items, newest first; older ones are dropped as new ones come. */
final class Recent<T> {
    private final int capacity;
    private final Deque<T> items = new ArrayDeque<>();

    Recent(int capacity) {
        this.capacity = capacity;
    }

    void add(T item) {
        items.addFirst(item);
        if (items.size() > capacity) {
            items.removeLast();
        }
    }

    List<T> newestFirst() {
        return new ArrayList<>(items);
    }
}
