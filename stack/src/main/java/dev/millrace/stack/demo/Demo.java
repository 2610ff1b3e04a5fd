package dev.millrace.stack.demo;

import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.stack.LocalStack;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;

/**
 * What {@code up --demo} adds to a running stack, so that data flows at once: a 6-car race on MQTT
 * {@code carCoordinates} and a small WIS2 node whose observations the cache picks up.
 */
public final class Demo implements AutoCloseable {
    /** Cars in the demo race. */
    public static final int CARS = 6;

    private final RacePublisher race;
    private final DemoFeed wis2;

    private Demo(RacePublisher race, DemoFeed wis2) {
        this.race = race;
        this.wis2 = wis2;
    }

    /** Starts the race and the WIS2 node against {@code stack}, and serves the node's files. */
    public static Demo start(LocalStack stack) throws Exception {
        RacePublisher race =
                new RacePublisher(
                        stack.settings().mqttUrl(),
                        "millrace-demo-race",
                        TelemetryPipeline.MQTT_IN,
                        new RaceSimulation(
                                DemoTrack.TRACK, CARS, 10, System.currentTimeMillis(), 1),
                        1,
                        null);
        race.start(Long.MAX_VALUE);
        DemoFeed wis2;
        try {
            stack.http().route(DemoFeed.PATH, DemoFeed.files());
            wis2 = new DemoFeed(stack.settings().mqttUrl(), stack.settings().httpUrl());
            wis2.start();
        } catch (Exception | Error e) {
            race.close();
            throw e;
        }
        return new Demo(race, wis2);
    }

    @Override
    public void close() {
        race.close();
        wis2.close();
    }
}
