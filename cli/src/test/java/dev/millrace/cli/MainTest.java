package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {
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
    void helpListsEveryCommandOfTheProductionRuntime() {
        assertThat(Main.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("status ", "topics ", "tail ", "run ", "reset ", "config ")
                .doesNotContain("up ", "bench ", "simulate ");
    }

    @Test
    void aCommandNamedOnTheLineKeepsItsParentInItsUsage() {
        assertThat(Main.run("status", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: millrace status");
    }

    @Test
    void anUnknownCommandPrintsUsageAndExits2() {
        assertThat(Main.run("zzzzzzzz")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unmatched argument at index 0: 'zzzzzzzz'", "Usage: millrace");
    }

    @Test
    void anUnknownFlagPrintsUsageAndExits2() {
        assertThat(Main.run("run", "telemetry", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown option: '--bogus'", "Usage: millrace run");
    }

    @Test
    void aBadSettingFailsNamingTheKey() {
        assertThat(Main.run("run", "telemetry", "--set", "http.port=0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "millrace: bad value '0' for key http.port (flag http.port):"
                                + " must be between 1 and 65535");
    }

    @Test
    void theLocalStacksKeysAreUnknownToTheProductionRuntime() {
        assertThat(Main.run("run", "telemetry", "--set", "local.kafka.port=19092")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("millrace: unknown key local.kafka.port (flag local.kafka.port)");
    }

    @Test
    void anUnknownSettingFailsNamingIt() {
        assertThat(Main.run("tail", "x", "--set", "local.kafak.port=1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("millrace: unknown key local.kafak.port (flag local.kafak.port)");
    }

    @Test
    void configPrintsEveryKeyWithItsEnvironmentVariable() {
        assertThat(Main.run("config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "| `http.port` | `MILLRACE_HTTP_PORT` | int | `8080` |",
                        "| `kafka.client.*` | `MILLRACE_KAFKA_CLIENT_*` | any |");
    }

    @Test
    void aBadFinishLineFailsNamingTheKey() {
        assertThat(Main.run("run", "telemetry", "--set", "telemetry.finish-line=52.0,-1.0,52.0"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("key telemetry.finish-line", "must be lat1,long1,lat2,long2");
    }

    @Test
    void unknownPipelinesAreRefusedWithTheKnownOnes() {
        assertThat(Main.run("reset", "weather")).isEqualTo(1);
        assertThat(Main.run("run", "weather")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "no pipeline 'weather' to reset; pipelines: [telemetry, wis2, audit]",
                        "no component 'weather'; components: [telemetry, wis2, audit,"
                                + " wis2-cache, ingest]");
    }

    @Test
    void theCacheStepAloneNeedsItsPublicUrl() {
        assertThat(Main.run("run", "wis2-cache")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("key wis2.cache.base-url must be set");
    }

    @Test
    void theIngestAloneNeedsItsKeys() {
        assertThat(Main.run("run", "ingest")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("key audit.api-keys must be set");
    }
}
