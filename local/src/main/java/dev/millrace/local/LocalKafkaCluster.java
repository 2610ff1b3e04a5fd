package dev.millrace.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local KRaft cluster of several nodes, each a broker and a controller in a process of its own,
 * so that one can be killed, stopped and started again while the others serve: a broker failure and
 * a leader change, as on MSK, on one machine. Topics get three replicas (or as many as there are
 * nodes) and need two in sync. Each node's log and output are under {@code dir/node-<id>}; the
 * nodes end when the process that started them does.
 */
public final class LocalKafkaCluster implements AutoCloseable {
    /** What a node prints once it serves. */
    static final String READY = "millrace kafka node ready";

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final long START_TIMEOUT_MS = 120_000;
    private static final long STOP_TIMEOUT_MS = 30_000;

    private final Path dir;
    private final String clusterId;
    private final List<LocalKafka.Node> nodes;
    private final Map<Integer, Process> processes = new TreeMap<>();

    private LocalKafkaCluster(Path dir, String clusterId, List<LocalKafka.Node> nodes) {
        this.dir = dir;
        this.clusterId = clusterId;
        this.nodes = nodes;
    }

    /**
     * Starts a node on each of {@code ports} (its controller on the matching {@code
     * controllerPorts} entry), ids from 1, and returns once every one serves.
     */
    public static LocalKafkaCluster start(
            Path dir, String host, List<Integer> ports, List<Integer> controllerPorts)
            throws Exception {
        Files.createDirectories(dir);
        Path idFile = dir.resolve("cluster.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        List<LocalKafka.Node> nodes = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            nodes.add(new LocalKafka.Node(i + 1, host, ports.get(i), controllerPorts.get(i)));
        }
        LocalKafkaCluster cluster =
                new LocalKafkaCluster(dir, Files.readString(idFile).strip(), nodes);
        try {
            // A controller quorum forms only once a majority is up: start them together.
            List<CompletableFuture<Void>> started = new ArrayList<>();
            for (LocalKafka.Node node : nodes) {
                cluster.launch(node.id());
            }
            for (LocalKafka.Node node : nodes) {
                started.add(
                        CompletableFuture.runAsync(
                                () -> cluster.awaitReady(node.id(), START_TIMEOUT_MS)));
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Every node's address, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return String.join(",", nodes.stream().map(n -> n.host() + ":" + n.port()).toList());
    }

    public List<Integer> nodeIds() {
        return nodes.stream().map(LocalKafka.Node::id).toList();
    }

    /** The process id of each running node. */
    public synchronized List<Long> pids() {
        return processes.values().stream().filter(Process::isAlive).map(Process::pid).toList();
    }

    /** Whether node {@code id}'s process is alive. */
    public synchronized boolean running(int id) {
        Process process = processes.get(id);
        return process != null && process.isAlive();
    }

    /** Kills node {@code id} with SIGKILL, as a crash would, and waits for it to be gone. */
    public void kill(int id) throws InterruptedException {
        Process process = process(id);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            log.info("kafka node {} killed", id);
        }
    }

    /** Stops node {@code id} with SIGTERM (a controlled shutdown) and waits for it to end. */
    public void stop(int id) throws InterruptedException {
        Process process = process(id);
        if (process != null) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            log.info("kafka node {} stopped", id);
        }
    }

    /** Starts node {@code id} again on its log, and returns once it serves. */
    public void start(int id) {
        if (running(id)) {
            throw new IllegalStateException("kafka node " + id + " is running");
        }
        launch(id);
        awaitReady(id, START_TIMEOUT_MS);
    }

    private synchronized Process process(int id) {
        return processes.get(id);
    }

    private synchronized void launch(int id) {
        LocalKafka.Node node = nodes.get(id - 1);
        Path nodeDir = dir.resolve("node-" + id);
        Path output = nodeDir.resolve("output.log");
        List<String> command = ChildJvm.command(LocalKafka.class, "-Xms64m", "-Xmx512m");
        command.add(String.valueOf(id));
        command.add(nodeDir.resolve("log").toString());
        command.add(node.host());
        command.add(String.valueOf(node.port()));
        command.add(String.valueOf(node.controllerPort()));
        command.add(clusterId);
        command.add(LocalKafka.voters(nodes));
        try {
            Files.createDirectories(nodeDir);
            Files.deleteIfExists(output);
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .start();
            processes.put(id, process);
            log.info("kafka node {} started on port {} (pid {})", id, node.port(), process.pid());
        } catch (IOException e) {
            throw new IllegalStateException("could not start kafka node " + id, e);
        }
    }

    private void awaitReady(int id, long timeoutMs) {
        Path output = dir.resolve("node-" + id).resolve("output.log");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            Process process = process(id);
            String text = read(output);
            if (text.contains(READY)) {
                return;
            }
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(
                        "kafka node " + id + " ended before it served: " + tail(text));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(
                "kafka node "
                        + id
                        + " did not serve within "
                        + timeoutMs
                        + " ms: "
                        + tail(read(output)));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    /** Stops every node, in a controlled shutdown; their logs stay for the next start. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (int id : nodeIds()) {
            stopping.add(
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    stop(id);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    }
}
