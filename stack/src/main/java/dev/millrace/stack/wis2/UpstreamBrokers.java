package dev.millrace.stack.wis2;

import dev.millrace.local.LocalMqtt;
import dev.millrace.local.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Global Brokers for the Global Cache to subscribe to: MQTT brokers of their own on free loopback
 * ports, each as a WIS2 Global Broker would be to the cache, for benches and fault runs.
 */
public final class UpstreamBrokers implements AutoCloseable {
    private final List<LocalMqtt> brokers = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    /** Starts {@code count} brokers, each keeping its data under a directory of {@code dir}. */
    public static UpstreamBrokers start(Path dir, int count) throws Exception {
        UpstreamBrokers upstream = new UpstreamBrokers();
        try {
            for (int i = 0; i < count; i++) {
                int port = Ports.free();
                upstream.brokers.add(
                        LocalMqtt.start(dir.resolve("upstream-" + i), "127.0.0.1", port));
                upstream.urls.add("tcp://127.0.0.1:" + port);
            }
        } catch (Exception e) {
            upstream.close();
            throw e;
        }
        return upstream;
    }

    private UpstreamBrokers() {}

    /** Each broker's URL, for {@code wis2.upstream-urls}. */
    public List<String> urls() {
        return List.copyOf(urls);
    }

    @Override
    public void close() throws Exception {
        for (LocalMqtt broker : brokers) {
            broker.close();
        }
    }
}
