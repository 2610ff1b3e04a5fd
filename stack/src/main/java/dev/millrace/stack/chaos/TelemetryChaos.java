package dev.millrace.stack.chaos;

import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.stack.LocalStack;
import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The telemetry pipeline's side of a chaos run: a race streaming in over MQTT {@code
 * carCoordinates}, a SPEED on {@code carStatus} as its answer; at the end every fix in Kafka,
 * exactly one SPEED for each in Kafka, and each on MQTT at least once.
 */
final class TelemetryChaos implements PipelineChaos {
    /** A car's first fix has no SPEED: probes start once every car has had one. */
    private static final int FIRST_PROBE = 60;

    private final int rate;
    private final List<Fix> published = new ArrayList<>();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private Thread feed;
    private MqttWatch watch;

    TelemetryChaos(int rate) {
        this.rate = rate;
    }

    @Override
    public String pipeline() {
        return TelemetryPipeline.NAME;
    }

    @Override
    public void start(LocalStack stack) throws Exception {
        String mqttUrl = stack.settings().mqttUrl();
        watch =
                new MqttWatch(
                        mqttUrl, "chaos-watch", TelemetryPipeline.MQTT_STATUS, RaceFeed::speedKey);
        RaceSimulation race =
                new RaceSimulation(DemoTrack.TRACK, 6, 10, RaceSimulation.replayStart(), 53);
        feed =
                new Thread(
                        () ->
                                RaceFeed.publish(
                                        mqttUrl,
                                        "chaos-feed",
                                        race,
                                        rate,
                                        published,
                                        sent -> feeding.get(),
                                        true),
                        "chaos-feed");
        feed.start();
    }

    @Override
    public int sent() {
        synchronized (published) {
            return published.size();
        }
    }

    @Override
    public BooleanSupplier answeredAfter(int sentBefore) {
        synchronized (published) {
            int count = published.size();
            if (count <= sentBefore || count <= FIRST_PROBE) {
                return null;
            }
            String probe = RaceFeed.key(published.get(count - 1));
            return () -> watch.received(probe);
        }
    }

    @Override
    public TopicPartitionInfo inputPartition(Admin admin) throws Exception {
        return RaceFeed.inputPartition(admin);
    }

    @Override
    public boolean usesMqtt() {
        return true;
    }

    @Override
    public void stop() throws InterruptedException {
        feeding.set(false);
        feed.join(TimeUnit.MINUTES.toMillis(1));
    }

    @Override
    public Verdict verify(LocalStack stack) throws Exception {
        RaceFeed.Outcome kafka = RaceFeed.check(stack.settings().bootstrapServers(), published);
        MqttWatch.Outcome mqtt = watch.compare(kafka.committed());
        long delivered = kafka.published() - kafka.lost();
        long speeds = kafka.speeds() - kafka.duplicateSpeeds();
        return new Verdict(
                List.of(
                        new Row(
                                "fixes in (at least once)",
                                String.valueOf(kafka.published()),
                                kafka.published(),
                                delivered,
                                kafka.lost(),
                                kafka.inKafka() - delivered),
                        new Row(
                                "SPEEDs in Kafka (once)",
                                "",
                                kafka.expectedSpeeds(),
                                speeds,
                                Math.max(0, kafka.expectedSpeeds() - speeds),
                                kafka.duplicateSpeeds()),
                        mqtt.row("SPEEDs on MQTT (1+)")),
                List.of(mqtt.note()),
                kafka.exact() && mqtt.missing() == 0 && mqtt.differing() == 0);
    }

    @Override
    public void close() throws Exception {
        if (watch != null) {
            watch.close();
        }
    }
}
