package dev.millrace.stack.bench;

import java.io.PrintStream;

/** A one-line progress bar on standard error, redrawn in place. */
public final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private int lastPercent = -1;

    public Progress(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    public void update(long done) {
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        out.print(
                "\r"
                        + label
                        + " ["
                        + "#".repeat(filled)
                        + ".".repeat(WIDTH - filled)
                        + "] "
                        + String.format("%3d%%", percent));
        out.flush();
    }

    public void done(String summary) {
        update(total);
        out.println("  " + summary);
    }
}
