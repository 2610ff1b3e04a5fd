package dev.millrace.cli;

import dev.millrace.cli.dlq.DeadLetterQueue;
import dev.millrace.config.KafkaSettings;
import dev.millrace.pipeline.Pipelines;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace dlq <pipeline>}: lists a pipeline's dead letters (reason, where each came from,
 * when, a preview), filtered by reason or source; with {@code --redrive} puts the selected ones
 * back on their source topics, once.
 */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "List a pipeline's dead letters: where each came from, when, why, a preview.",
            "--redrive puts the selected ones back on their source topic (key, value and headers as"
                    + " they were, on their partition), once: a letter already redriven is not"
                    + " sent again."
        })
final class DlqCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "telemetry, wis2 or audit")
    String pipeline;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description = "Only dead letters whose reason contains TEXT (any case).")
    String reason;

    @Option(
            names = "--source",
            paramLabel = "TOPIC",
            description = "Only dead letters that came from TOPIC.")
    String source;

    @Option(
            names = "--redrive",
            description = "Put the selected dead letters back on their source topics.")
    boolean redrive;

    @Option(
            names = "--json",
            description = "One JSON object a dead letter instead of a line of text.")
    boolean json;

    @Option(
            names = "--max",
            paramLabel = "N",
            defaultValue = "100",
            description =
                    "List at most the last N selected dead letters (default ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() {
        if (Pipelines.find(pipeline).isEmpty()) {
            throw new CommandFailedException(
                    "no pipeline '"
                            + pipeline
                            + "'; pipelines: "
                            + String.join(
                                    ", ", Pipelines.ALL.stream().map(p -> p.name()).toList()));
        }
        if (max < 1) {
            throw new CommandFailedException("--max must be at least 1");
        }
        DeadLetterQueue queue = new DeadLetterQueue(KafkaSettings.from(options.load()), pipeline);
        Predicate<DeadLetterQueue.Entry> selected = selection();
        PrintStream out = System.out;
        try {
            if (redrive) {
                DeadLetterQueue.Redrive done = queue.redrive(selected);
                out.printf(
                        "redrove %d dead letter(s) of %s to their source topics; %d already"
                                + " redriven, %d without a source topic (left)%n",
                        done.redriven(), pipeline, done.alreadyRedriven(), done.withoutSource());
                return 0;
            }
            List<DeadLetterQueue.Entry> all = queue.read();
            List<DeadLetterQueue.Entry> matching = all.stream().filter(selected).toList();
            List<DeadLetterQueue.Entry> shown =
                    matching.subList(Math.max(0, matching.size() - max), matching.size());
            for (DeadLetterQueue.Entry entry : shown) {
                out.println(json ? entry.json().toString() : line(entry));
            }
            if (!json) {
                out.printf(
                        "%d dead letter(s) in %s, %d selected, %d shown, %d redriven%n",
                        all.size(),
                        pipeline + ".dlq",
                        matching.size(),
                        shown.size(),
                        all.stream().filter(DeadLetterQueue.Entry::redriven).count());
            }
            return 0;
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }

    private Predicate<DeadLetterQueue.Entry> selection() {
        String wanted = reason == null ? null : reason.toLowerCase(Locale.ROOT);
        return entry ->
                (wanted == null
                                || entry.letter()
                                        .reason()
                                        .toLowerCase(Locale.ROOT)
                                        .contains(wanted))
                        && (source == null || entry.letter().sourceTopic().equals(source));
    }

    private static String line(DeadLetterQueue.Entry entry) {
        String from =
                entry.letter().hasSource()
                        ? entry.letter().sourceTopic()
                                + "/"
                                + entry.letter().sourcePartition()
                                + "@"
                                + entry.letter().sourceOffset()
                        : "(no source topic)";
        return String.format(
                "%-8s %s  from %s%s%n         reason: %s%n         value:  %s",
                entry.id(),
                Instant.ofEpochMilli(entry.timestamp()),
                from,
                entry.redriven() ? "  [redriven to " + entry.redrivenTo() + "]" : "",
                entry.letter().reason(),
                entry.preview(120));
    }
}
