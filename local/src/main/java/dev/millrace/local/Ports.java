package dev.millrace.local;

import dev.millrace.config.ConfigException;
import dev.millrace.config.ConfigKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks, before anything starts, that every port the stack needs is free. */
public final class Ports {
    /** A port and the key that changes it. */
    public record Claim(int port, ConfigKey<Integer> key) {}

    /**
     * Every port this JVM has handed out: a port that was free when asked for stays free until its
     * server binds it, and the kernel may offer it again meanwhile, so the same port is never given
     * twice.
     */
    private static final BitSet GIVEN = new BitSet(65536);

    private Ports() {}

    /**
     * @throws ConfigException naming each busy port and the key (and variable) that moves it
     */
    public static void requireFree(String host, List<Claim> claims) {
        List<String> problems = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Claim claim : claims) {
            if (!seen.add(claim.port())) {
                problems.add(
                        "port "
                                + claim.port()
                                + " is given to two servers; change "
                                + claim.key().name());
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), claim.port()));
            } catch (IOException e) {
                problems.add(
                        "port "
                                + claim.port()
                                + " is already in use (is another millrace running?); change it"
                                + " with "
                                + claim.key().name()
                                + " (--set "
                                + claim.key().name()
                                + "=PORT or "
                                + claim.key().envName()
                                + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
    }

    /** The first of {@code count} consecutive ports that are free now, none given before. */
    public static int freeRun(int count) {
        synchronized (GIVEN) {
            for (int attempt = 0; attempt < 100; attempt++) {
                int first = bindAny();
                if (first + count > 65535 || GIVEN.get(first, first + count).cardinality() > 0) {
                    continue;
                }
                boolean allFree = true;
                for (int port = first + 1; port < first + count && allFree; port++) {
                    allFree = bindable(port);
                }
                if (allFree) {
                    GIVEN.set(first, first + count);
                    return first;
                }
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    /** A port that is free now and not given before, for tests and benchmarks. */
    public static int free() {
        synchronized (GIVEN) {
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = bindAny();
                if (!GIVEN.get(port)) {
                    GIVEN.set(port);
                    return port;
                }
            }
        }
        throw new IllegalStateException("no free port not given before");
    }

    private static int bindAny() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
