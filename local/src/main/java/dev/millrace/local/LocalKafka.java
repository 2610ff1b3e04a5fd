package dev.millrace.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka node (broker and controller in one process) from the Apache Kafka server
 * artifact: the stack's single node in its own JVM, or a node of a {@link LocalKafkaCluster} in a
 * process of its own. Its log lives under the data dir and is formatted once, so a second start
 * finds every record, offset and transaction again.
 */
public final class LocalKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    /** The shortest group session the local broker allows. */
    public static final int MIN_SESSION_TIMEOUT_MS = 1500;

    private final KafkaRaftServer server;

    private LocalKafka(KafkaRaftServer server) {
        this.server = server;
    }

    /** One node of a local KRaft cluster: a broker and a controller in one process. */
    public record Node(int id, String host, int port, int controllerPort) {
        String voter() {
            return id + "@" + host + ":" + controllerPort;
        }
    }

    /** A single node: broker and controller, the stack's default. */
    public static LocalKafka start(Path dir, String host, int port, int controllerPort)
            throws Exception {
        Node node = new Node(1, host, port, controllerPort);
        return start(dir, node, List.of(node), null);
    }

    /**
     * Node {@code node} of the cluster whose controllers are {@code quorum}, its log in {@code dir}
     * (formatted at first start, with {@code clusterId}, or a new id when null).
     */
    public static LocalKafka start(Path dir, Node node, List<Node> quorum, String clusterId)
            throws Exception {
        return start(dir, node, voters(quorum), quorum.size(), clusterId);
    }

    private static LocalKafka start(Path dir, Node node, String voters, int nodes, String clusterId)
            throws Exception {
        Files.createDirectories(dir);
        Properties props = brokerProperties(dir, node, voters, nodes);
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format(dir, node.id(), clusterId == null ? Uuid.randomUuid().toString() : clusterId);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server);
    }

    /** The controller quorum as {@code controller.quorum.voters} writes it. */
    static String voters(List<Node> quorum) {
        return String.join(",", quorum.stream().map(Node::voter).toList());
    }

    /**
     * A node of a {@link LocalKafkaCluster}, in a process of its own: {@code id dir host port
     * controllerPort clusterId voters}, voters as {@link #voters} writes them. It stops when told
     * to (SIGTERM, with a controlled shutdown) and when the process that started it ends.
     */
    public static void main(String[] args) throws Exception {
        Node node =
                new Node(
                        Integer.parseInt(args[0]),
                        args[2],
                        Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]));
        String voters = args[6];
        LocalKafka kafka = start(Path.of(args[1]), node, voters, voters.split(",").length, args[5]);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-shutdown"));
        ProcessHandle.current()
                .parent()
                .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        System.out.println(LocalKafkaCluster.READY);
        kafka.server.awaitShutdown();
    }

    static Properties brokerProperties(Path dir, Node node, String voters, int nodes) {
        String host = node.host();
        int port = node.port();
        int controllerPort = node.controllerPort();
        // A cluster runs as MSK does: three replicas, two in sync for a write to count.
        String replicas = String.valueOf(Math.min(3, nodes));
        String inSync = nodes > 1 ? "2" : "1";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node.id()));
        p.put("controller.quorum.voters", voters);
        p.put(
                "listeners",
                "PLAINTEXT://"
                        + host
                        + ":"
                        + port
                        + ",CONTROLLER://"
                        + host
                        + ":"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        // Internal topics have as many replicas as the cluster allows (one on a single node, or
        // groups and transactions wait forever).
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", inSync);
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", inSync);
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", inSync);
        p.put("unclean.leader.election.enable", "false");
        p.put("num.partitions", "3");
        // Topics come from the catalog only.
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A node that restarts as itself: after a crash, its dead incarnation's registration
        // lapses in 1.5 s rather than 9, and until it does the new one cannot register; in a
        // cluster, a dead node's partitions get new leaders as soon. The restarted node is then
        // registered, caught up and unfenced, each step on a heartbeat's answer: every 200 ms.
        p.put("broker.session.timeout.ms", "1500");
        p.put("broker.heartbeat.interval.ms", "200");
        // After a crash every log is recovered before the broker is unfenced; the recovery's
        // threads get their share of two cores beside the rest of the start.
        p.put("num.recovery.threads.per.data.dir", "4");
        // A group member that died (the Connect worker after a SIGKILL, which has no static
        // membership) holds up its group's next rebalance until its session lapses, counted from
        // when the restarted coordinator loads the group: the local broker lets sessions be as
        // short as 1.5 s.
        p.put("group.min.session.timeout.ms", String.valueOf(MIN_SESSION_TIMEOUT_MS));
        // The log cleaner's key map: 16 MiB (about 600,000 keys a pass) instead of 128 MiB, which
        // every start allocates and zeroes.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        // A transaction left open by a process that crashed is aborted when it times out, at the
        // coordinator's next sweep for timed-out transactions: every second rather than every 10.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // The metadata log is replayed from its latest snapshot at every start, by the controller
        // and again by the broker: without one, from offset 0, which after some hours of no-op
        // records (two a second) is tens of thousands of records and seconds of a restart. A
        // snapshot is written once half a megabyte or a minute of records is not in the last one.
        p.put("metadata.log.max.record.bytes.between.snapshots", String.valueOf(512 * 1024));
        p.put("metadata.log.max.snapshot.interval.ms", "60000");
        // Large audit records travel as claim checks, but leave room for inline payloads.
        p.put("message.max.bytes", String.valueOf(2 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(256 * 1024 * 1024));
        return p;
    }

    private static void format(Path dir, int nodeId, String clusterId) throws Exception {
        log.info("formatting a new Kafka log in {} (cluster {})", dir, clusterId);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(clusterId)
                .setNodeId(nodeId)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dir.toString())
                .setDirectories(List.of(dir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    /** Stops the broker after a controlled shutdown; its log stays for the next start. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
