package dev.millrace.stack.demo;

import dev.millrace.cli.CommandFailedException;
import dev.millrace.cli.ConfigOptions;
import dev.millrace.pipeline.TelemetryPipeline;
import dev.millrace.stack.LocalStackSettings;
import dev.millrace.telemetry.RaceEvent;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code millrace simulate <what>}: synthetic live data for a pipeline. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Publish synthetic live data for a pipeline.",
        subcommands = {SimulateCommand.Race.class})
public final class SimulateCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "what to simulate is required: race");
    }

    /** {@code millrace simulate race}: a race on the demo track, published on carCoordinates. */
    @Command(
            name = "race",
            mixinStandardHelpOptions = true,
            description = {
                "Publish a simulated race's car fixes (MAT carCoordinates JSON) over MQTT, QoS 1:"
                        + " cars of different pace on a 3.4 km circuit, with overtakes and laps.",
                "The finish line is the default of telemetry.finish-line."
            })
    static final class Race implements Callable<Integer> {
        @Mixin ConfigOptions options;

        @Option(names = "--cars", defaultValue = "6", description = "Cars in the race (1-50).")
        int cars;

        @Option(
                names = "--hz",
                defaultValue = "5",
                description = "Fixes per car per second (the MAT generator sends 5).")
        int hz;

        @Option(
                names = "--speedup",
                defaultValue = "1",
                description = "Run the race N times faster than real time.")
        double speedup;

        @Option(names = "--seed", defaultValue = "1", description = "The same seed, the same race.")
        long seed;

        @Option(
                names = "--seconds",
                description = "Stop after this many seconds of race time (default: until Ctrl-C).")
        Long seconds;

        @Option(
                names = "--mqtt",
                paramLabel = "URL",
                description =
                        "MQTT broker (default: the local stack's,"
                                + " tcp://local.host:local.mqtt.port).")
        String mqttUrl;

        @Option(
                names = "--topic",
                defaultValue = TelemetryPipeline.MQTT_IN,
                description = "MQTT topic to publish on.")
        String topic;

        @Override
        public Integer call() throws Exception {
            if (cars < 1 || cars > 50) {
                throw new CommandFailedException("--cars must be between 1 and 50");
            }
            if (hz < 1 || hz > 100) {
                throw new CommandFailedException("--hz must be between 1 and 100");
            }
            if (!(speedup > 0)) {
                throw new CommandFailedException("--speedup must be positive");
            }
            String url =
                    mqttUrl != null ? mqttUrl : LocalStackSettings.from(options.load()).mqttUrl();
            long maxFixes = seconds == null ? Long.MAX_VALUE : seconds * hz * cars;
            RaceSimulation race =
                    new RaceSimulation(DemoTrack.TRACK, cars, hz, System.currentTimeMillis(), seed);
            try (RacePublisher publisher =
                    new RacePublisher(
                            url,
                            "millrace-simulator-" + ProcessHandle.current().pid(),
                            topic,
                            race,
                            speedup,
                            null)) {
                Runtime.getRuntime().addShutdownHook(new Thread(publisher::close));
                System.out.printf(
                        "publishing %d cars at %d Hz on %s %s (x%s)%n",
                        cars, hz, url, topic, speedup);
                publisher.start(maxFixes);
                Thread progress =
                        new Thread(
                                () -> {
                                    try {
                                        while (true) {
                                            Thread.sleep(5_000);
                                            System.out.printf(
                                                    "race time %s, %d fixes published%n",
                                                    RaceEvent.lapTime(publisher.raceMillis()),
                                                    publisher.published());
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "race-progress");
                progress.setDaemon(true);
                progress.start();
                publisher.join();
                publisher.drain(10_000);
                progress.interrupt();
                System.out.printf("done: %d fixes published%n", publisher.published());
            }
            return 0;
        }
    }
}
