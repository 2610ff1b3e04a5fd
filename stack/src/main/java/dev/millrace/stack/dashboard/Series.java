package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** The last {@code capacity} samples of one number, oldest first: a sparkline's data. */
final class Series {
    private final double[] values;
    private int next;
    private int size;

    Series(int capacity) {
        values = new double[capacity];
    }

    void add(double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The newest sample, or 0 before the first. */
    double last() {
        return size == 0 ? 0 : values[(next - 1 + values.length) % values.length];
    }

    void writeTo(ArrayNode out) {
        for (int i = 0; i < size; i++) {
            out.add(values[(next - size + i + values.length) % values.length]);
        }
    }
}
