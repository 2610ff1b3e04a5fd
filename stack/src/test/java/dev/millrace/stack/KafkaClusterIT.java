package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.local.LocalKafkaCluster;
import dev.millrace.local.testing.Await;
import dev.millrace.services.http.Health;
import dev.millrace.stack.chaos.RaceFeed;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack on a three-node Kafka cluster, as MSK runs it (three replicas, two in sync): while a
 * race streams in over MQTT, the node leading the race's input partition is killed with SIGKILL;
 * another takes the lead, the pipeline goes on, the node comes back and catches up, and every fix
 * in Kafka has exactly one SPEED. The time to the new leader is printed, not asserted.
 */
class KafkaClusterIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int FIXES = 6_000;

    @TempDir Path dir;

    @Test
    void aKilledLeaderIsReplacedAndNothingIsLostOrDoubled() throws Exception {
        LocalStackSettings settings =
                LocalStackSettings.onFreePorts(dir, Map.of("local.kafka.brokers", "3"), Map.of());
        try (LocalStack stack = LocalStack.start(settings)) {
            Map<String, Health.Status> health = stack.awaitHealthy(WAIT);
            assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);
            LocalKafkaCluster cluster = stack.kafkaCluster().orElseThrow();
            assertThat(stack.admin().describeCluster().nodes().get()).hasSize(3);
            TopicPartitionInfo before = RaceFeed.inputPartition(stack.admin());
            assertThat(before.replicas()).hasSize(3);
            assertThat(before.isr()).hasSize(3);

            RaceSimulation race =
                    new RaceSimulation(DemoTrack.TRACK, 6, 10, RaceSimulation.replayStart(), 41);
            List<Fix> published = Collections.synchronizedList(new ArrayList<>());
            // The feed reconnects as MQTT clients do, sending again what was not acknowledged: on
            // this busy machine the broker has once dropped a client before the kill.
            CompletableFuture<Void> feed =
                    CompletableFuture.runAsync(
                            () ->
                                    RaceFeed.publish(
                                            settings.mqttUrl(),
                                            "cluster-feed",
                                            race,
                                            200,
                                            published,
                                            sent -> sent < FIXES,
                                            true));
            Await.until("fixes flowing", WAIT, () -> published.size() > 400);

            int leader = before.leader().id();
            long t0 = System.nanoTime();
            cluster.kill(leader);
            TopicPartitionInfo moved =
                    Await.until(
                            "a new leader",
                            WAIT,
                            () -> RaceFeed.inputPartition(stack.admin()),
                            p -> p.leader() != null && p.leader().id() != leader);
            long leaderMs = (System.nanoTime() - t0) / 1_000_000;
            int sizeAtKill = published.size();
            // Acknowledged only once Kafka has them: the fixes keep coming while the node is down.
            Await.until(
                    "fixes flowing without it",
                    WAIT,
                    () -> published.size() >= Math.min(FIXES, sizeAtKill + 400));

            cluster.start(leader);
            Await.until(
                    "the node back in sync",
                    WAIT,
                    () -> RaceFeed.inputPartition(stack.admin()),
                    p -> p.isr().stream().map(Node::id).toList().contains(leader));
            feed.get(2, TimeUnit.MINUTES);

            RaceFeed.Outcome outcome = RaceFeed.check(settings.bootstrapServers(), published);
            System.out.printf(
                    "killed node %d, leader of the race's input; node %d led after %d ms; %s%n",
                    leader, moved.leader().id(), leaderMs, outcome);
            assertThat(outcome.published()).isGreaterThan(sizeAtKill);
            assertThat(outcome.lost()).as(outcome.toString()).isZero();
            assertThat(outcome.duplicateSpeeds()).as(outcome.toString()).isZero();
            assertThat(outcome.exact()).as(outcome.toString()).isTrue();
            health = stack.health().check();
            assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);
        }
    }
}
