package dev.millrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of one audit message, from its record on {@code audit.messages} and the S3 sink's report
 * of its archive, in whichever order they arrive: the workflow starts with the record, and once the
 * archive is reported the metadata is persisted and the final state emitted, exactly once. A
 * message whose payload could not be archived (salvaged by the sink) still ends with its metadata
 * and one final state, which say so.
 *
 * <p>Once a message is finished only the SHA-256 of its payload is kept, so a second record with
 * the same id (a retried request) is recognised: the same payload is a duplicate and is dropped, a
 * different one is rejected.
 *
 * <p>With {@code audit.compat=aws-sample} the documents also carry what a consumer of the AWS
 * large-audit-record sample reads, beside millrace's own fields: the storage context's {@code
 * redisReference} (the claim check) and {@code metaDataReference.{dynamoDbTableName, primaryKey}}
 * (the metadata topic and the message id), a {@code state{S3Persisted, metaDataPersisted}}, the
 * sample's notice fields on every event, and the final state published as the last event.
 */
public final class AuditWorkflow {
    public static final String STARTED = "Data workflow started";
    public static final String ARCHIVED = "S3 Archive Completed";
    public static final String ARCHIVE_FAILED = "S3 Archive Failed";
    public static final String PERSISTED = "Metadata persisted";
    public static final String FINISHED = "Final state";

    /** The sample's notice for the metadata step, as its Lambdas spell it. */
    static final String SAMPLE_METADATA_NOTICE = "Meta Data arcghive completed";

    /** What a step produces, in the order it is to be written. */
    public sealed interface Output permits Event, Metadata, FinalState, Rejected {}

    /**
     * A progress event for {@code audit.events}.
     *
     * @param details more fields, after millrace's own (the AWS sample's notice), or null
     */
    public record Event(String messageId, Instant timestamp, String event, ObjectNode details)
            implements Output {
        public Event(String messageId, Instant timestamp, String event) {
            this(messageId, timestamp, event, null);
        }

        public ObjectNode toJson() {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("messageID", messageId);
            node.put("timestamp", timestamp.toString());
            node.put("event", event);
            if (details != null) {
                node.setAll(details);
            }
            return node;
        }
    }

    /** The metadata for the compacted metadata topic. */
    public record Metadata(String messageId, ObjectNode value) implements Output {}

    /** The one final state of a message. */
    public record FinalState(String messageId, ObjectNode value) implements Output {}

    /** A record the workflow refuses, with the reason. */
    public record Rejected(String reason) implements Output {}

    /**
     * One message's progress. While it runs, the record and the archive report each once known;
     * once finished, only the payload's SHA-256 and when it finished.
     */
    public record State(
            AuditRecord message,
            ArchiveOutcome archive,
            String finishedSha256,
            Instant finishedAt) {
        public static final State NEW = new State(null, null, null, null);

        public boolean finished() {
            return finishedSha256 != null;
        }

        public byte[] encode() {
            ObjectNode node = Json.mapper().createObjectNode();
            if (finished()) {
                node.put("finishedSha256", finishedSha256);
                node.put("finishedAt", finishedAt.toEpochMilli());
                return bytes(node);
            }
            if (message != null) {
                ObjectNode m = node.putObject("message");
                m.put("messageID", message.messageId());
                m.set("messageMetaData", message.metaData());
                m.set("messageSecurityContext", message.securityContext());
                AuditRecord.Payload payload = message.payload();
                ObjectNode p = m.putObject("payload");
                p.put("contentType", payload.contentType());
                p.put("size", payload.size());
                if (payload.isStaged()) {
                    p.put("bucket", payload.stagedBucket());
                    p.put("key", payload.stagedKey());
                }
            }
            if (archive != null) {
                ObjectNode a = node.putObject("archive");
                a.put("archived", archive.archived());
                a.put("bucket", archive.bucket());
                a.put("key", archive.key());
                a.put("timestamp", archive.timestamp().toEpochMilli());
                if (archive.reason() != null) {
                    a.put("reason", archive.reason());
                }
            }
            return bytes(node);
        }

        public static State decode(byte[] bytes) {
            if (bytes == null) {
                return NEW;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable audit workflow state", e);
            }
            if (node.has("finishedSha256")) {
                return new State(
                        null,
                        null,
                        node.get("finishedSha256").asText(),
                        Instant.ofEpochMilli(node.get("finishedAt").asLong()));
            }
            AuditRecord message = null;
            if (node.get("message") instanceof ObjectNode m) {
                ObjectNode security = (ObjectNode) m.get("messageSecurityContext");
                JsonNode p = m.path("payload");
                message =
                        new AuditRecord(
                                m.get("messageID").asText(),
                                (ObjectNode) m.get("messageMetaData"),
                                security,
                                security.get("payloadSha256").asText(),
                                new AuditRecord.Payload(
                                        p.path("contentType").asText(null),
                                        p.path("size").asLong(-1),
                                        p.path("bucket").asText(null),
                                        p.path("key").asText(null)));
            }
            ArchiveOutcome archive = null;
            if (node.get("archive") instanceof ObjectNode a) {
                archive =
                        new ArchiveOutcome(
                                a.get("archived").asBoolean(),
                                a.get("bucket").asText(),
                                a.get("key").asText(),
                                Instant.ofEpochMilli(a.get("timestamp").asLong()),
                                a.has("reason") ? a.get("reason").asText() : null);
            }
            return new State(message, archive, null, null);
        }

        private static byte[] bytes(ObjectNode node) {
            try {
                return Json.mapper().writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The state after a step, and what the step produced. */
    public record Step(State next, List<Output> outputs) {}

    private final String metadataTopic;
    private final boolean awsSample;

    /**
     * @param metadataTopic the compacted topic the metadata goes to, named in the storage context
     * @param awsSample whether the documents also carry the AWS sample's fields
     */
    public AuditWorkflow(String metadataTopic, boolean awsSample) {
        this.metadataTopic = metadataTopic;
        this.awsSample = awsSample;
    }

    /** A record on {@code audit.messages}, written at {@code at}. */
    public Step onMessage(State state, AuditRecord message, Instant at) {
        String sha = state.finished() ? state.finishedSha256() : shaOf(state.message());
        if (sha != null) {
            if (sha.equals(message.payloadSha256())) {
                return new Step(state, List.of());
            }
            return new Step(
                    state,
                    List.of(
                            new Rejected(
                                    "messageID "
                                            + message.messageId()
                                            + " already holds a different payload (SHA-256 "
                                            + sha
                                            + "): an Idempotency-Key reused for another body")));
        }
        List<Output> outputs = new ArrayList<>();
        outputs.add(event(message, at, STARTED, STARTED, null, false));
        State next = new State(message, state.archive(), null, null);
        if (next.archive() == null) {
            return new Step(next, outputs);
        }
        return finish(next, at, outputs);
    }

    /** The S3 sink's report on a message's archive, read at {@code at}. */
    public Step onArchive(State state, ArchiveOutcome outcome, Instant at) {
        if (state.finished() || state.archive() != null) {
            // The sink writes at least once: a second report of the same archive changes nothing.
            return new Step(state, List.of());
        }
        State next = new State(state.message(), outcome, null, null);
        if (next.message() == null) {
            return new Step(next, List.of());
        }
        return finish(next, at, new ArrayList<>());
    }

    private Step finish(State state, Instant at, List<Output> outputs) {
        AuditRecord message = state.message();
        ArchiveOutcome archive = state.archive();
        String archived = archive.archived() ? ARCHIVED : ARCHIVE_FAILED;
        outputs.add(event(message, archive.timestamp(), archived, archived, archive, false));
        ObjectNode record = Json.mapper().createObjectNode();
        record.put("messageID", message.messageId());
        record.set("messageMetaData", message.metaData());
        record.set("messageSecurityContext", message.securityContext());
        record.set("storageContext", storageContext(message, archive, true));
        if (awsSample) {
            record.set("state", state(archive, true));
        }
        outputs.add(new Metadata(message.messageId(), record));
        outputs.add(event(message, at, PERSISTED, SAMPLE_METADATA_NOTICE, archive, true));
        outputs.add(new FinalState(message.messageId(), record));
        if (awsSample) {
            // The sample publishes the final document as its last notice.
            ObjectNode last = record.deepCopy();
            last.remove("messageID");
            outputs.add(new Event(message.messageId(), at, FINISHED, last));
        }
        return new Step(new State(null, null, message.payloadSha256(), at), outputs);
    }

    /** A progress event; with the sample's shapes, its notice's fields too. */
    private Event event(
            AuditRecord message,
            Instant at,
            String event,
            String notice,
            ArchiveOutcome archive,
            boolean metadataPersisted) {
        if (!awsSample) {
            return new Event(message.messageId(), at, event);
        }
        ObjectNode details = Json.mapper().createObjectNode();
        details.put("message", notice);
        details.set("messageMetaData", message.metaData());
        details.set("storageContext", storageContext(message, archive, metadataPersisted));
        details.set("state", state(archive, metadataPersisted));
        return new Event(message.messageId(), at, event, details);
    }

    /**
     * Where the message is kept so far: its archive (once reported), its metadata (once persisted);
     * with the sample's shapes, the claim check as the sample's Redis reference and the metadata
     * topic as its DynamoDB table.
     */
    private ObjectNode storageContext(
            AuditRecord message, ArchiveOutcome archive, boolean metadataPersisted) {
        ObjectNode storage = Json.mapper().createObjectNode();
        ObjectNode s3 = storage.putObject("S3Reference");
        s3.put("bucket", archive == null ? null : archive.bucket());
        s3.put("key", archive == null ? null : archive.key());
        ObjectNode reference = storage.putObject("metaDataReference");
        reference.put("topic", metadataPersisted ? metadataTopic : null);
        reference.put("key", metadataPersisted ? message.messageId() : null);
        if (awsSample) {
            reference.put("dynamoDbTableName", metadataPersisted ? metadataTopic : null);
            reference.put("primaryKey", metadataPersisted ? message.messageId() : null);
            ObjectNode redis = storage.putObject("redisReference");
            AuditRecord.Payload payload = message.payload();
            redis.put("server", payload.isStaged() ? payload.stagedBucket() : null);
            redis.putNull("port");
            redis.put("key", payload.isStaged() ? payload.stagedKey() : null);
        }
        ObjectNode persistence = storage.putObject("persistence");
        persistence.put("S3", archive != null && archive.archived());
        persistence.put("metaData", metadataPersisted);
        return storage;
    }

    private static ObjectNode state(ArchiveOutcome archive, boolean metadataPersisted) {
        ObjectNode state = Json.mapper().createObjectNode();
        state.put("S3Persisted", archive != null && archive.archived());
        state.put("metaDataPersisted", metadataPersisted);
        return state;
    }

    private static String shaOf(AuditRecord message) {
        return message == null ? null : message.payloadSha256();
    }
}
