package dev.millrace.stack.bench;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Every figure {@code millrace bench all} reports, with its goal where it has one: the table and
 * the JSON line both read them from here.
 */
public enum Goal {
    STARTUP("startupSeconds", "start-up, new data dir", "s", 1, Comparison.AT_MOST, 10),
    RESTART("restartSeconds", "restart, same data dir", "s", 1, Comparison.AT_MOST, 10),
    STOP("stopSeconds", "clean stop before the restart", "s", 1, Comparison.NONE, 0),
    IDLE_RSS(
            "idleRssMiB",
            "RSS idle after the restart (stack + bench, one JVM)",
            "MiB",
            0,
            Comparison.NONE,
            0),
    LOADED_RSS(
            "loadedRssMiB",
            "RSS loaded, max during the benches (one JVM)",
            "MiB",
            0,
            Comparison.NONE,
            0),
    TELEMETRY_COLD_P50(
            "telemetryColdP50Ms", "telemetry end to end p50, cold", "ms", 1, Comparison.NONE, 0),
    TELEMETRY_COLD_P99(
            "telemetryColdP99Ms",
            "telemetry end to end p99, cold",
            "ms",
            1,
            Comparison.AT_MOST,
            100),
    TELEMETRY_COLD_SOURCE_P99(
            "telemetryColdSourceP99Ms",
            "  p99 of " + TelemetryBench.STAGE_SOURCE + ", cold",
            "ms",
            1,
            Comparison.NONE,
            0),
    TELEMETRY_COLD_TOPOLOGY_P99(
            "telemetryColdTopologyP99Ms",
            "  p99 of " + TelemetryBench.STAGE_TOPOLOGY + ", cold",
            "ms",
            1,
            Comparison.NONE,
            0),
    TELEMETRY_COLD_SINK_P99(
            "telemetryColdSinkP99Ms",
            "  p99 of " + TelemetryBench.STAGE_SINK + ", cold",
            "ms",
            1,
            Comparison.NONE,
            0),
    TELEMETRY_RATIO(
            "telemetryPassThroughRatio",
            "telemetry topology / pass-through",
            "",
            3,
            Comparison.AT_LEAST,
            0.9),
    TELEMETRY_WARM_P50(
            "telemetryWarmP50Ms", "telemetry end to end p50, warm", "ms", 1, Comparison.NONE, 0),
    TELEMETRY_WARM_P99(
            "telemetryWarmP99Ms",
            "telemetry end to end p99, warm",
            "ms",
            1,
            Comparison.AT_MOST,
            100),
    TELEMETRY_WARM_SOURCE_P99(
            "telemetryWarmSourceP99Ms",
            "  p99 of " + TelemetryBench.STAGE_SOURCE + ", warm",
            "ms",
            1,
            Comparison.NONE,
            0),
    TELEMETRY_WARM_TOPOLOGY_P99(
            "telemetryWarmTopologyP99Ms",
            "  p99 of " + TelemetryBench.STAGE_TOPOLOGY + ", warm",
            "ms",
            1,
            Comparison.NONE,
            0),
    TELEMETRY_WARM_SINK_P99(
            "telemetryWarmSinkP99Ms",
            "  p99 of " + TelemetryBench.STAGE_SINK + ", warm",
            "ms",
            1,
            Comparison.NONE,
            0),
    WIS2_PROCESSED(
            "wis2ProcessedPerMinute",
            "wis2 processed at 24,000 offered a minute",
            "/min",
            0,
            Comparison.AT_LEAST,
            20_000),
    WIS2_P99(
            "wis2PubtimeToRepublishP99Ms",
            "wis2 pubtime -> republish p99 at 2,000/min",
            "ms",
            0,
            Comparison.AT_MOST,
            2_000),
    WIS2_FLOOD(
            "wis2DedupeFloodCopiesPerMinute",
            "wis2 dedupe flood",
            "copies/min",
            0,
            Comparison.AT_LEAST,
            100_000),
    AUDIT_256K_1_RECEIPT_P99(
            "audit256KiB1ClientReceiptP99Ms",
            "audit 256 KiB, 1 client: receipt p99",
            "ms",
            1,
            Comparison.AT_MOST,
            50),
    AUDIT_256K_16_RECEIPT_P99(
            "audit256KiB16ClientsReceiptP99Ms",
            "audit 256 KiB, 16 clients: receipt p99",
            "ms",
            1,
            Comparison.AT_MOST,
            250),
    AUDIT_256K_16_FINAL_P99(
            "audit256KiB16ClientsFinalStateP99Ms",
            "audit 256 KiB, 16 clients: POST -> final state p99",
            "ms",
            0,
            Comparison.AT_MOST,
            1_000),
    AUDIT_2M_16_MBPS(
            "audit2MiB16ClientsMBPerSecond",
            "audit 2 MiB, 16 clients: throughput",
            "MB/s",
            1,
            Comparison.AT_LEAST,
            50),
    AUDIT_2M_16_RECEIPT_P99(
            "audit2MiB16ClientsReceiptP99Ms",
            "audit 2 MiB, 16 clients: receipt p99",
            "ms",
            1,
            Comparison.AT_MOST,
            500),
    AUDIT_2M_16_FINAL_P99(
            "audit2MiB16ClientsFinalStateP99Ms",
            "audit 2 MiB, 16 clients: POST -> final state p99",
            "ms",
            0,
            Comparison.AT_MOST,
            1_000);

    /** How a measurement meets its goal. */
    public enum Comparison {
        AT_MOST("<="),
        AT_LEAST(">="),
        /** A figure reported for what it is, with no goal. */
        NONE("");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String key;
    private final String label;
    private final String unit;
    private final int decimals;
    private final Comparison comparison;
    private final double goal;

    Goal(String key, String label, String unit, int decimals, Comparison comparison, double goal) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.decimals = decimals;
        this.comparison = comparison;
        this.goal = goal;
    }

    /** The figure's name in the JSON line. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public Comparison comparison() {
        return comparison;
    }

    public boolean hasGoal() {
        return comparison != Comparison.NONE;
    }

    public double goal() {
        return goal;
    }

    /** Whether {@code measured} meets the goal; a figure not measured (NaN) meets none. */
    public boolean met(double measured) {
        if (Double.isNaN(measured)) {
            return false;
        }
        return switch (comparison) {
            case AT_MOST -> measured <= goal;
            case AT_LEAST -> measured >= goal;
            case NONE -> true;
        };
    }

    /** {@code value} in this figure's unit, rounded as the table shows it. */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return withUnit(String.format(Locale.ROOT, "%,." + decimals + "f", value));
    }

    /** The goal as the table shows it, {@code -} for a figure with none. */
    public String goalText() {
        if (!hasGoal()) {
            return "-";
        }
        return comparison.symbol()
                + " "
                + withUnit(
                        new DecimalFormat(
                                        "#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT))
                                .format(goal));
    }

    private String withUnit(String number) {
        return unit.isEmpty() ? number : number + " " + unit;
    }

    /** {@code value} rounded to this figure's decimals, for the JSON line. */
    public double round(double value) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
