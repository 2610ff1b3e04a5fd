package dev.millrace.stack.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code millrace bench all} measured, against the goals: a table for people, one JSON line
 * for scripts, and the correctness checks that failed (a missed goal is a figure; a failed check is
 * a failed bench).
 */
public final class Scorecard {
    private static final String[] HEADER = {"figure", "measured", "goal", "met"};

    private final Map<Goal, Double> measured = new EnumMap<>(Goal.class);
    private final List<String> failures = new ArrayList<>();

    public void put(Goal goal, double value) {
        measured.put(goal, value);
    }

    /** Notes a check that failed unless {@code passed}: the bench then exits non-zero. */
    public void check(boolean passed, String failure) {
        if (!passed) {
            failures.add(failure);
        }
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** The measured value, NaN if the figure was not measured. */
    public double measured(Goal goal) {
        return measured.getOrDefault(goal, Double.NaN);
    }

    /** yes or no for a figure with a goal, {@code -} for one without. */
    public String met(Goal goal) {
        if (!goal.hasGoal()) {
            return "-";
        }
        return goal.met(measured(goal)) ? "yes" : "no";
    }

    /** Every figure, in the order of {@link Goal}: figure | measured | goal | met. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Goal goal : Goal.values()) {
            rows.add(
                    new String[] {
                        goal.label(), goal.format(measured(goal)), goal.goalText(), met(goal)
                    });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                line(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(" | ");
            }
            boolean last = i == cells.length - 1;
            out.append(last ? cells[i] : String.format("%-" + widths[i] + "s", cells[i]));
        }
        out.append('\n');
    }

    /**
     * One JSON object: every figure under its key with its unit, value, goal and whether it is met
     * (goal and met null for a figure with no goal), the counts, and the failed checks.
     */
    public String json(boolean quick) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("bench", "all");
        o.put("quick", quick);
        o.put("stackInThisJvm", true);
        ObjectNode figures = o.putObject("figures");
        int met = 0;
        int missed = 0;
        for (Goal goal : Goal.values()) {
            ObjectNode f = figures.putObject(goal.key());
            double value = measured(goal);
            f.put("unit", goal.unit());
            if (Double.isNaN(value)) {
                f.putNull("measured");
            } else {
                f.put("measured", goal.round(value));
            }
            if (goal.hasGoal()) {
                f.put("goal", goal.goal());
                f.put("comparison", goal.comparison().symbol());
                boolean ok = goal.met(value);
                f.put("met", ok);
                if (ok) {
                    met++;
                } else {
                    missed++;
                }
            } else {
                f.putNull("goal");
                f.putNull("comparison");
                f.putNull("met");
            }
        }
        o.put("goalsMet", met);
        o.put("goalsMissed", missed);
        ArrayNode failed = o.putArray("failedChecks");
        failures.forEach(failed::add);
        return o.toString();
    }
}
