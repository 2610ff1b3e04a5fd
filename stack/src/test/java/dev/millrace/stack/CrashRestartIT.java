package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.config.CommonSettings;
import dev.millrace.config.Config;
import dev.millrace.stack.chaos.RaceFeed;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack, as {@code millrace up} runs it (its own JVM), ended while a race streams in over
 * MQTT and started again on the same data, {@code millrace.cycles} times (3 by default), by SIGKILL
 * and SIGTERM in turn. Each time it comes back healthy; each SIGTERM ends it cleanly, within its
 * stop limit rather than by the watchdog's halt, leaving state that the next start takes up without
 * restoring it from scratch; and in the end every fix that reached {@code
 * telemetry.car-coordinates} has exactly one SPEED in {@code telemetry.car-status}
 * (read_committed): nothing lost, nothing twice. How long each start took to be healthy and each
 * stop took, and how many fixes the crashes kept from Kafka (MQTT is at least once only for what
 * its broker acknowledged), are printed, not asserted.
 */
class CrashRestartIT {
    private static final Path JAR = Path.of("target/millrace.jar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CARS = 6;

    /** Kept when the test fails, with every start's log in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** The log of the start under way: each start writes its own, {@code stack-N.log}. */
    private Path log;

    private int starts;

    @Test
    void aKilledStackComesBackAndItsOutputsAreExact() throws Exception {
        Map<String, String> flags = LocalStackSettings.freePorts();
        flags.put(CommonSettings.DATA_DIR.name(), dir.toString());
        LocalStackSettings settings =
                LocalStackSettings.from(
                        Config.builder(LocalStackSettings.ALL_KEYS).flags(flags).build());
        RaceSimulation race =
                new RaceSimulation(DemoTrack.TRACK, CARS, 10, RaceSimulation.replayStart(), 11);
        List<Fix> published = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> healthyMs = new ArrayList<>();
        List<Long> stopMs = new ArrayList<>();
        // Killed, stopped with SIGTERM, killed, and so on, each while fixes stream in; then
        // read out.
        List<String> ends = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("millrace.cycles", 3); i++) {
            ends.add(i % 2 == 0 ? "KILL" : "TERM");
        }
        ends.add("READ");
        String previous = "";

        for (String end : ends) {
            Process stack = start(flags);
            try {
                healthyMs.add(awaitHealthy(settings, stack));
                if (previous.equals("TERM")) {
                    assertThat(Files.readString(log))
                            .as("state left by a clean stop is taken up as it is")
                            .doesNotContain("are corrupted and hence need to be re-initialized");
                }
                previous = end;
                if (!end.equals("READ")) {
                    CompletableFuture<Void> feed =
                            CompletableFuture.runAsync(
                                    () ->
                                            RaceFeed.publish(
                                                    settings.mqttUrl(),
                                                    "crash-feed",
                                                    race,
                                                    900,
                                                    300,
                                                    published));
                    Thread.sleep(1500);
                    long t0 = System.nanoTime();
                    if (end.equals("KILL")) {
                        stack.destroyForcibly();
                    } else {
                        stack.destroy();
                    }
                    assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as(end + " stops it").isTrue();
                    if (end.equals("TERM")) {
                        stopMs.add((System.nanoTime() - t0) / 1_000_000);
                        // 143 is 128 + SIGTERM: the shutdown ran to its end; the watchdog
                        // halts with 1 when a stop outlasts its limit.
                        assertThat(stack.exitValue())
                                .as(() -> "SIGTERM stops it cleanly; its log ends:\n" + logTail())
                                .isEqualTo(143);
                    }
                    feed.get(60, TimeUnit.SECONDS);
                    continue;
                }
                RaceFeed.publish(settings.mqttUrl(), "crash-feed", race, 300, 300, published);
                RaceFeed.Outcome outcome = RaceFeed.check(settings.bootstrapServers(), published);
                System.out.printf(
                        "healthy after start: %s ms; SIGTERM under load stopped it in %s ms; %s%n",
                        healthyMs, stopMs, outcome);
                assertThat(outcome.duplicateSpeeds()).as("no SPEED twice").isZero();
                assertThat(outcome.exact()).as("a SPEED for every fix: " + outcome).isTrue();
                assertThat(outcome.inKafka()).as("fixes in Kafka").isGreaterThan(300);
            } finally {
                if (stack.isAlive()) {
                    stack.destroy();
                    if (!stack.waitFor(30, TimeUnit.SECONDS)) {
                        stack.destroyForcibly().waitFor();
                    }
                }
            }
        }
    }

    /** The last lines the stack wrote. */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 400), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private Process start(Map<String, String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.add("up");
        flags.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        log = dir.resolve("stack-" + ++starts + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Milliseconds from start to {@code /health} answering 200. */
    private long awaitHealthy(LocalStackSettings settings, Process stack) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(3);
        String lastAnswer = "no answer";
        while (System.nanoTime() < deadline) {
            assertThat(stack.isAlive())
                    .as(() -> "the stack runs; its log ends:\n" + logTail())
                    .isTrue();
            try {
                HttpResponse<String> health =
                        HTTP.send(
                                HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/health"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
                lastAnswer = health.statusCode() + " " + health.body();
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "start "
                        + starts
                        + " not healthy within 3 minutes; /health said "
                        + lastAnswer
                        + "; its log ends:\n"
                        + logTail());
    }
}
