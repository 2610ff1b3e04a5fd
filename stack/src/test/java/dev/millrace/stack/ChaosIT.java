package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.stack.testing.Commands;
import org.junit.jupiter.api.Test;

/**
 * {@code millrace chaos} in short form. Telemetry goes through every kind of fault: one SIGKILL of
 * the Streams process, the leading Kafka node killed and restarted, the MQTT broker and the Connect
 * worker restarted, the S3 server down three seconds; nothing lost, nothing twice in Kafka, every
 * SPEED on MQTT. wis2 and audit go through a SIGKILL and the faults that touch them most: the data
 * server failing, S3 down. On the Flink engine, telemetry goes through a SIGKILL of the Flink
 * session, its job restored from its last checkpoint.
 */
class ChaosIT {
    @Test
    void telemetryComesThroughEveryFaultExactly() {
        Commands.Run run = Commands.run("chaos", "telemetry", "--kills", "1", "--s3-outage", "3s");
        System.out.println(run.out());
        assertThat(run.out())
                .contains("streams process SIGKILL 1")
                .contains("(leader) SIGKILL and restart")
                .contains("mqtt broker restart")
                .contains("connect worker restart")
                .contains("s3 server down 3 s")
                .containsPattern("SPEEDs in Kafka \\(once\\) +\\d+ +\\d+ +0 +0")
                .containsPattern("SPEEDs on MQTT \\(1\\+\\) +\\d+ +\\d+ +0 ")
                .contains("PASSED");
        assertThat(run.exit()).isZero();
    }

    @Test
    void wis2ComesThroughAKillAndAFailingDataServerExactly() {
        Commands.Run run =
                Commands.run(
                        "chaos",
                        "wis2",
                        "--faults",
                        "streams,data",
                        "--kills",
                        "1",
                        "--data-outage",
                        "3s");
        System.out.println(run.out());
        assertThat(run.out())
                .contains("streams process SIGKILL 1")
                .contains("data server answers 503 for 3 s")
                .containsPattern("WNMs in \\(at least once\\) +(\\d+) +\\1 +\\1 +0 ")
                .containsPattern("cache notifs in Kafka \\(once\\) +(\\d+) +\\1 +0 +0")
                .containsPattern("data served by the cache +(\\d+) +\\1 +0 ")
                .containsPattern("cache notifs on MQTT \\(1\\+\\) +(\\d+) +\\1 +0 ")
                .containsPattern("[1-9]\\d* dead letters during the run, [1-9]\\d* redriven")
                .contains("PASSED");
        assertThat(run.exit()).isZero();
    }

    @Test
    void auditComesThroughAKillAndS3DownExactly() {
        Commands.Run run =
                Commands.run(
                        "chaos",
                        "audit",
                        "--faults",
                        "streams,s3",
                        "--kills",
                        "1",
                        "--s3-outage",
                        "3s");
        System.out.println(run.out());
        assertThat(run.out())
                .contains("streams process SIGKILL 1")
                .contains("s3 server down 3 s")
                .containsPattern("final states in Kafka \\(once\\) +(\\d+) +\\1 +0 +0")
                .containsPattern("archived in S3 \\(1\\+\\) +(\\d+) +\\1 +0 ")
                .contains("PASSED");
        assertThat(run.exit()).isZero();
    }

    @Test
    void telemetryOnFlinkComesThroughAKillExactly() {
        Commands.Run run =
                Commands.run(
                        "chaos",
                        "telemetry",
                        "--engine",
                        "flink",
                        "--faults",
                        "streams",
                        "--kills",
                        "1");
        System.out.println(run.out());
        assertThat(run.out())
                .contains("chaos telemetry --engine flink")
                .contains("flink process SIGKILL 1")
                .containsPattern("SPEEDs in Kafka \\(once\\) +\\d+ +\\d+ +0 +0")
                .containsPattern("SPEEDs on MQTT \\(1\\+\\) +\\d+ +\\d+ +0 ")
                .contains("PASSED");
        assertThat(run.exit()).isZero();
    }
}
