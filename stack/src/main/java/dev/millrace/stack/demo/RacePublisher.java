package dev.millrace.stack.demo;

import dev.millrace.telemetry.Fix;
import dev.millrace.telemetry.FixJson;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a simulated race over MQTT in real time (or {@code speedup} times faster): each fix is
 * sent, QoS 1, when the wall clock reaches its place in the race.
 */
public final class RacePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RacePublisher.class);
    private static final int MAX_INFLIGHT = 2_000;

    /** Told of every fix the moment it is handed to the MQTT client. */
    public interface Listener {
        void published(Fix fix, long nanoTime);
    }

    private final MqttAsyncClient client;
    private final String topic;
    private final RaceSimulation race;
    private final double speedup;
    private final Listener listener;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean stopped;
    private volatile long raceMillis;
    private Thread thread;

    public RacePublisher(
            String mqttUrl,
            String clientId,
            String topic,
            RaceSimulation race,
            double speedup,
            Listener listener)
            throws MqttException {
        this.client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
        this.topic = topic;
        this.race = race;
        this.speedup = speedup;
        this.listener = listener;
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(15));
    }

    /** Publishes on a thread of its own until {@link #close()} or {@code maxFixes}. */
    public void start(long maxFixes) {
        thread = new Thread(() -> run(maxFixes), "race-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Publishes on the caller's thread until {@link #close()} or {@code maxFixes}. */
    public void run(long maxFixes) {
        long wallStart = System.nanoTime();
        long raceStart = Long.MIN_VALUE;
        while (!stopped && published.get() < maxFixes) {
            Fix fix = race.next();
            if (raceStart == Long.MIN_VALUE) {
                raceStart = fix.timestamp();
            }
            raceMillis = fix.timestamp() - raceStart;
            long due = wallStart + (long) (raceMillis * 1_000_000L / speedup);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            publish(fix);
        }
    }

    private void publish(Fix fix) {
        MqttMessage message = new MqttMessage(FixJson.write(fix));
        message.setQos(1);
        while (!stopped) {
            try {
                long now = System.nanoTime();
                client.publish(topic, message);
                if (listener != null) {
                    listener.published(fix, now);
                }
                published.incrementAndGet();
                return;
            } catch (MqttException e) {
                // A full in-flight window or a reconnect in progress: wait for room and retry.
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT
                        && e.getReasonCode() != MqttException.REASON_CODE_CLIENT_NOT_CONNECTED) {
                    log.warn("publishing a fix failed, retrying: {}", e.getMessage());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    public long published() {
        return published.get();
    }

    /** How far into the race the publisher is, in race milliseconds. */
    public long raceMillis() {
        return raceMillis;
    }

    /** Waits until every published fix has been acknowledged by the broker, up to the timeout. */
    public void drain(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (client.getInFlightMessageCount() > 0 && System.currentTimeMillis() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    public void join() throws InterruptedException {
        if (thread != null) {
            thread.join();
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            log.debug("closing the MQTT client: {}", e.getMessage());
        }
    }
}
