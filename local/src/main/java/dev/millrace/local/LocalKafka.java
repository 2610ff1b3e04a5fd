package dev.millrace.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.controller.ControllerRequestContext;
import org.apache.kafka.image.MetadataDelta;
import org.apache.kafka.image.MetadataImage;
import org.apache.kafka.image.loader.LoaderManifest;
import org.apache.kafka.image.loader.MetadataLoader;
import org.apache.kafka.image.publisher.MetadataPublisher;
import org.apache.kafka.metadata.BrokerRegistration;
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

    /** The broker session: how long a node that stopped heartbeating still counts as live. */
    static final int BROKER_SESSION_TIMEOUT_MS = 1500;

    /** The longest a start waits for an earlier incarnation of its node to be fenced. */
    private static final long INCARNATION_WAIT_MS = 10L * BROKER_SESSION_TIMEOUT_MS;

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
        startInOrder(server, node.id());
        return new LocalKafka(server);
    }

    /**
     * What {@link KafkaRaftServer#startup} does, with one step between its controller and its
     * broker: the broker starts once the metadata holds no live earlier incarnation of this node.
     *
     * <p>After a crash the metadata still names the dead incarnation as a live broker and the
     * leader of its partitions, until its session lapses. A broker that started at once would take
     * that stale leadership up, begin loading the group and transaction coordinators at the stale
     * leader epochs, and drop and load them again when its old self is fenced; a load that fails in
     * between can leave a coordinator failed for good (groups on it never settle, an open
     * transaction never ends). So the controller first fences the dead incarnation, as that
     * incarnation's own heartbeat asking for it would have (this process holds the node's log dir,
     * so no other incarnation of it runs), and the broker then loads each coordinator once, at the
     * leader epoch it is elected at. A first start, or one after a clean stop, finds the node
     * absent or fenced and starts the broker at once.
     */
    private static void startInOrder(KafkaRaftServer server, int nodeId) throws Exception {
        ControllerServer controller = part(server, "controller", ControllerServer.class);
        BrokerServer broker = part(server, "broker", BrokerServer.class);
        controller.startup();
        fenceEarlierIncarnation(controller, nodeId);
        broker.startup();
        AppInfoParser.registerAppInfo(
                Server.MetricsPrefix(),
                String.valueOf(nodeId),
                controller.sharedServer().metrics(),
                Time.SYSTEM.milliseconds());
    }

    private static <T> T part(KafkaRaftServer server, String name, Class<T> type)
            throws ReflectiveOperationException {
        var accessor = KafkaRaftServer.class.getDeclaredMethod(name);
        accessor.setAccessible(true);
        return type.cast(((scala.Option<?>) accessor.invoke(server)).get());
    }

    /**
     * Returns once the committed metadata has this node unregistered or fenced. While it names a
     * live registration, this node's controller is asked to fence it; a controller that is not the
     * active one cannot, and the registration then lapses with its session. After {@link
     * #INCARNATION_WAIT_MS} (a controller quorum still forming) it logs and returns.
     */
    private static void fenceEarlierIncarnation(ControllerServer controller, int nodeId)
            throws Exception {
        CountDownLatch clear = new CountDownLatch(1);
        AtomicLong liveEpoch = new AtomicLong(-1);
        MetadataLoader loader = controller.sharedServer().loader();
        MetadataPublisher watch =
                new MetadataPublisher() {
                    @Override
                    public String name() {
                        return "millrace-incarnation-watch";
                    }

                    @Override
                    public void onMetadataUpdate(
                            MetadataDelta delta, MetadataImage image, LoaderManifest manifest) {
                        BrokerRegistration self = image.cluster().broker(nodeId);
                        if (self == null || self.fenced()) {
                            clear.countDown();
                        } else {
                            liveEpoch.set(self.epoch());
                        }
                    }
                };
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(INCARNATION_WAIT_MS);
        loader.installPublishers(List.of(watch)).get();
        try {
            while (!clear.await(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    log.warn(
                            "node {}: an earlier incarnation still counts as live after {} ms;"
                                    + " starting the broker anyway",
                            nodeId,
                            INCARNATION_WAIT_MS);
                    return;
                }
                long epoch = liveEpoch.get();
                if (epoch >= 0) {
                    askToFence(controller, nodeId, epoch, loader.lastAppliedOffset());
                }
            }
            log.debug(
                    "node {}: no live earlier incarnation after {} ms",
                    nodeId,
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            loader.removeAndClosePublisher(watch);
        }
    }

    /** The heartbeat the incarnation registered at {@code epoch} sends to be fenced. */
    private static void askToFence(
            ControllerServer controller, int nodeId, long epoch, long metadataOffset) {
        BrokerHeartbeatRequestData heartbeat =
                new BrokerHeartbeatRequestData()
                        .setBrokerId(nodeId)
                        .setBrokerEpoch(epoch)
                        .setCurrentMetadataOffset(metadataOffset)
                        .setWantFence(true)
                        .setWantShutDown(false);
        ControllerRequestContext context =
                new ControllerRequestContext(
                        new RequestHeaderData(), KafkaPrincipal.ANONYMOUS, OptionalLong.empty());
        try {
            controller.controller().processBrokerHeartbeat(context, heartbeat).get();
            log.info("node {}: fenced its earlier incarnation (broker epoch {})", nodeId, epoch);
        } catch (ExecutionException notNow) {
            // Not the active controller (yet), or the registration changed meanwhile: the
            // metadata tells what happened.
            log.debug("node {}: fencing broker epoch {}: {}", nodeId, epoch, notNow.getCause());
        } catch (ApiException notNow) {
            // Refused before it was queued, by a controller that is not (yet) the active one.
            log.debug("node {}: fencing broker epoch {}: {}", nodeId, epoch, notNow.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        // A node that stops heartbeating is fenced after 1.5 s rather than 9: in a cluster, a dead
        // node's partitions get new leaders as soon. (A node restarted after a crash does not wait
        // for that: its start fences its dead incarnation first.) A starting node is registered,
        // caught up and unfenced, each step on a heartbeat's answer: every 200 ms.
        p.put("broker.session.timeout.ms", String.valueOf(BROKER_SESSION_TIMEOUT_MS));
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
