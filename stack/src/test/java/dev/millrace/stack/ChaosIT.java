package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.stack.testing.Commands;
import org.junit.jupiter.api.Test;

/**
 * {@code millrace chaos telemetry} in short form: one SIGKILL of the Streams process, the leading
 * Kafka node killed and restarted, the MQTT broker and the Connect worker restarted, the S3 server
 * down three seconds; nothing lost, nothing twice in Kafka, every SPEED on MQTT.
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
}
