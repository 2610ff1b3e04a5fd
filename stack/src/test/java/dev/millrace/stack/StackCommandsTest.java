package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With the stack module present, {@code millrace} has its commands and its keys too. */
class StackCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void helpListsTheStacksCommandsBesideTheOthers() {
        assertThat(Main.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("up ", "simulate ", "bench ", "status ", "run ", "config ");
    }

    @Test
    void anUnknownFlagPrintsUsageAndExits2() {
        assertThat(Main.run("up", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown option: '--bogus'", "Usage: millrace up");
    }

    @Test
    void aBadLocalSettingFailsNamingTheKey() {
        assertThat(Main.run("up", "--set", "local.mqtt.port=0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "millrace: bad value '0' for key local.mqtt.port (flag local.mqtt.port):"
                                + " must be between 1 and 65535");
    }

    @Test
    void configPrintsTheLocalKeysToo() {
        assertThat(Main.run("config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("| `local.kafka.port` | `MILLRACE_LOCAL_KAFKA_PORT` | int | `9092` |");
    }

    @Test
    void unknownBenchmarksAreRefusedWithTheKnownOnes() {
        assertThat(Main.run("bench", "weather")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "no benchmark for pipeline 'weather'; benchmarks: telemetry, wis2, audit,"
                                + " start-up, all");
    }

    @Test
    void chaosRefusesAnUnknownEngineBeforeStartingAnything() {
        assertThat(Main.run("chaos", "telemetry", "--engine", "spark")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--engine is streams or flink, not 'spark'");
    }

    @Test
    void simulateRaceChecksItsOptionsBeforeConnecting() {
        assertThat(Main.run("simulate", "race", "--cars", "0")).isEqualTo(1);
        assertThat(Main.run("simulate", "race", "--hz", "500")).isEqualTo(1);
        assertThat(Main.run("simulate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "--cars must be between 1 and 50",
                        "--hz must be between 1 and 100",
                        "what to simulate is required: race");
    }
}
