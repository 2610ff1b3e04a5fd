package dev.millrace.stack.bench;

import dev.millrace.stack.LocalStack;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * {@code millrace bench all}: every bench in turn on one stack of its own. The stack starts on a
 * new data dir (start-up), stops cleanly and starts again on the same data (restart); the restarted
 * stack serves the rest: the telemetry latency first, while nothing has warmed the pipeline, then
 * the telemetry throughput and warm latency, wis2 at the WMO test's rate and at 24 000 a minute and
 * a dedupe flood, and the three audit rounds. The stack runs in this JVM, so the RSS figures are
 * the whole stack's, with the bench's own clients.
 */
final class BenchAll {
    static final int WIS2_OFFERED_PER_MINUTE = 24_000;
    static final int WIS2_WMO_PER_MINUTE = 2_000;
    static final int AUDIT_CLIENTS = 16;
    static final long AUDIT_INLINE_BYTES = 256 << 10;
    static final long AUDIT_CLAIM_CHECK_BYTES = 2 << 20;

    /** How long and how much each part runs. */
    record Sizes(
            long records,
            int rate,
            int latencySeconds,
            int wis2WmoSeconds,
            int wis2OfferedSeconds,
            int flood,
            int roundSeconds) {
        /** The sizes of the single benches' defaults. */
        static final Sizes FULL = new Sizes(500_000, 300, 20, 60, 60, 2_000, 20);

        /** {@code --quick}: the same figures from small runs, the whole in under 3 minutes. */
        static final Sizes QUICK = new Sizes(50_000, 300, 10, 10, 5, 400, 4);
    }

    private final BenchStack bench;
    private final Sizes sizes;
    private final PrintStream progress;

    BenchAll(BenchStack bench, Sizes sizes, PrintStream progress) {
        this.bench = bench;
        this.sizes = sizes;
        this.progress = progress;
    }

    Scorecard run() throws Exception {
        Scorecard card = new Scorecard();
        try (LocalStack stack = startTwice(bench, card, progress)) {
            card.put(Goal.IDLE_RSS, Rss.currentMiB());
            progress.printf(
                    "healthy in %.1f s, RSS %.0f MiB%n",
                    card.measured(Goal.RESTART), card.measured(Goal.IDLE_RSS));
            try (Rss rss = Rss.sample(Duration.ofMillis(200))) {
                telemetry(stack, card);
                wis2(card);
                audit(card);
                card.put(Goal.LOADED_RSS, rss.maxMiB());
            }
        }
        return card;
    }

    /**
     * Starts a stack on a new data dir, stops it cleanly and starts it again on the same data,
     * timing all three ({@link Goal#STARTUP}, {@link Goal#STOP}, {@link Goal#RESTART}); returns the
     * restarted stack, healthy.
     */
    static LocalStack startTwice(BenchStack bench, Scorecard card, PrintStream progress)
            throws Exception {
        progress.println("starting a local stack in " + bench.work() + " (new data dir)");
        long t0 = System.nanoTime();
        LocalStack first = bench.start();
        card.put(Goal.STARTUP, secondsSince(t0));
        progress.printf("healthy in %.1f s; stopping it%n", card.measured(Goal.STARTUP));
        long stop = System.nanoTime();
        first.close();
        card.put(Goal.STOP, secondsSince(stop));
        progress.printf(
                "stopped in %.1f s; starting it again on the same data dir%n",
                card.measured(Goal.STOP));
        t0 = System.nanoTime();
        LocalStack stack = bench.start();
        card.put(Goal.RESTART, secondsSince(t0));
        return stack;
    }

    private void telemetry(LocalStack stack, Scorecard card) throws Exception {
        TelemetryBench telemetry = new TelemetryBench(stack, bench.work(), progress);
        progress.println("telemetry, cold: the first fixes through the restarted stack");
        latency(
                card,
                "cold",
                telemetry.latency(sizes.rate(), sizes.latencySeconds(), Duration.ZERO),
                Goal.TELEMETRY_COLD_P50,
                Goal.TELEMETRY_COLD_P99,
                Goal.TELEMETRY_COLD_SOURCE_P99,
                Goal.TELEMETRY_COLD_TOPOLOGY_P99,
                Goal.TELEMETRY_COLD_SINK_P99);
        TelemetryBench.Result warm =
                telemetry.run(sizes.records(), sizes.rate(), sizes.latencySeconds());
        card.put(Goal.TELEMETRY_RATIO, warm.ratio());
        latency(
                card,
                "warm",
                warm.latency(),
                Goal.TELEMETRY_WARM_P50,
                Goal.TELEMETRY_WARM_P99,
                Goal.TELEMETRY_WARM_SOURCE_P99,
                Goal.TELEMETRY_WARM_TOPOLOGY_P99,
                Goal.TELEMETRY_WARM_SINK_P99);
    }

    /** One latency run's figures, each stage's p99 among them, and its check. */
    private static void latency(
            Scorecard card,
            String when,
            TelemetryBench.Latency latency,
            Goal p50,
            Goal p99,
            Goal source,
            Goal topology,
            Goal sink) {
        card.put(p50, latency.p50Ms());
        card.put(p99, latency.p99Ms());
        Map<String, Goal> stages =
                Map.of(
                        TelemetryBench.STAGE_SOURCE, source,
                        TelemetryBench.STAGE_TOPOLOGY, topology,
                        TelemetryBench.STAGE_SINK, sink);
        for (TelemetryBench.Stage stage : latency.stages()) {
            Goal goal = stages.get(stage.name());
            if (goal != null) {
                card.put(goal, stage.p99Ms());
            }
        }
        card.check(
                latency.samples() > 0 && latency.unanswered() == 0,
                String.format(
                        "telemetry %s latency: %d SPEEDs matched, %d fixes unanswered",
                        when, latency.samples(), latency.unanswered()));
    }

    private void wis2(Scorecard card) throws Exception {
        try (Wis2Bench wis2 = new Wis2Bench(bench.settings(), bench.upstreamUrls(), progress)) {
            Wis2Bench.Steady wmo = wis2.steady(WIS2_WMO_PER_MINUTE, sizes.wis2WmoSeconds());
            card.put(Goal.WIS2_P99, wmo.p99Ms());
            Wis2Bench.Steady offered =
                    wis2.steady(WIS2_OFFERED_PER_MINUTE, sizes.wis2OfferedSeconds());
            card.put(Goal.WIS2_PROCESSED, offered.processedPerMinute());
            Wis2Bench.Flood flood = wis2.flood(sizes.flood());
            card.put(Goal.WIS2_FLOOD, flood.copiesPerMinute());
            for (Wis2Bench.Steady run : new Wis2Bench.Steady[] {wmo, offered}) {
                card.check(
                        run.published() > 0 && run.cached() == run.published(),
                        String.format(
                                "wis2 at %,d a minute: %d of %d published were cached",
                                run.ratePerMinute(), run.cached(), run.published()));
            }
            card.check(
                    flood.cached() == flood.messages() && flood.republished() == flood.messages(),
                    String.format(
                            "wis2 dedupe flood: %d messages, %d cached, %d republished",
                            flood.messages(), flood.cached(), flood.republished()));
        }
    }

    private void audit(Scorecard card) throws Exception {
        AuditBench audit = new AuditBench(bench.settings(), bench.auditKey(), progress);
        AuditBench.Round one = audit.run(1, AUDIT_INLINE_BYTES, sizes.roundSeconds());
        card.put(Goal.AUDIT_256K_1_RECEIPT_P99, one.receiptP99Ms());
        AuditBench.Round inline =
                audit.run(AUDIT_CLIENTS, AUDIT_INLINE_BYTES, sizes.roundSeconds());
        card.put(Goal.AUDIT_256K_16_RECEIPT_P99, inline.receiptP99Ms());
        card.put(Goal.AUDIT_256K_16_FINAL_P99, inline.finalStateP99Ms());
        AuditBench.Round claimCheck =
                audit.run(AUDIT_CLIENTS, AUDIT_CLAIM_CHECK_BYTES, sizes.roundSeconds());
        card.put(Goal.AUDIT_2M_16_MBPS, claimCheck.megabytesPerSecond());
        card.put(Goal.AUDIT_2M_16_RECEIPT_P99, claimCheck.receiptP99Ms());
        card.put(Goal.AUDIT_2M_16_FINAL_P99, claimCheck.finalStateP99Ms());
        for (AuditBench.Round round : new AuditBench.Round[] {one, inline, claimCheck}) {
            card.check(
                    round.accepted() > 0 && round.finished() == round.accepted(),
                    String.format(
                            "audit %d KiB, %d clients: %d accepted, %d reached their final state",
                            round.payloadBytes() / 1024,
                            round.clients(),
                            round.accepted(),
                            round.finished()));
        }
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
