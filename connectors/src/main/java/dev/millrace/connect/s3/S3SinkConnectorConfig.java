package dev.millrace.connect.s3;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.config.S3Settings;
import dev.millrace.connect.internal.JsonPointers;
import dev.millrace.connect.internal.KeyedConfigException;
import dev.millrace.connect.s3.internal.BatchLimits;
import dev.millrace.connect.s3.internal.ClaimCheck;
import dev.millrace.connect.s3.internal.ContentSource;
import dev.millrace.connect.s3.internal.KeyTemplate;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The S3 sink connector's configuration: where objects go, what they hold, what is reported. */
public final class S3SinkConnectorConfig extends AbstractConfig {
    public static final String BUCKET = "s3.bucket";
    public static final String REGION = "s3.region";
    public static final String ENDPOINT = "s3.endpoint";
    public static final String PATH_STYLE = "s3.path-style";
    public static final String ACCESS_KEY_ID = "s3.access-key-id";
    public static final String SECRET_ACCESS_KEY = "s3.secret-access-key";
    public static final String MODE = "s3.mode";
    public static final String KEY_TEMPLATE = "s3.key.template";
    public static final String CONTENT = "s3.content";
    public static final String CONTENT_POINTER = "s3.content.pointer";
    public static final String CONTENT_ENCODING = "s3.content.encoding";

    /** Values of {@value #CONTENT_ENCODING}. */
    public static final String ENCODING_BASE64 = "base64";

    public static final String ENCODING_TEXT = "text";
    public static final String ENCODING_JSON = "json";
    public static final String CLAIM_CHECK_POINTER = "s3.claim-check.pointer";
    public static final String CLAIM_CHECK_DELETE = "s3.claim-check.delete";
    public static final String CONTENT_TYPE = "s3.content-type";
    public static final String CONTENT_TYPE_POINTER = "s3.content-type.pointer";
    public static final String PUT_CONCURRENCY = "s3.put.concurrency";
    public static final String BATCH_MAX_RECORDS = "s3.batch.max-records";
    public static final String BATCH_MAX_BYTES = "s3.batch.max-bytes";
    public static final String BATCH_MAX_SPAN_MS = "s3.batch.max-span-ms";
    public static final String COMPLETION_TOPIC = "completion.topic";
    public static final String COMPLETION_PRODUCER_PREFIX = "completion.producer.";
    public static final String COMPLETION_BOOTSTRAP_SERVERS =
            COMPLETION_PRODUCER_PREFIX + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SALVAGE_BUCKET = "salvage.bucket";

    public static final String MODE_RECORD = "record";
    public static final String MODE_BATCH = "batch";
    public static final String CONTENT_VALUE = "value";
    public static final String CONTENT_AT_POINTER = "pointer";

    static final String RECORD_KEY_TEMPLATE = "${topic}/${partition}/${offset}";
    static final String BATCH_KEY_TEMPLATE = "${topic}/${partition}/${start-offset}";

    private static final String S3_GROUP = "S3";
    private static final String OBJECT_GROUP = "Objects";
    private static final String BATCH_GROUP = "Batches";
    private static final String REPORT_GROUP = "Completions and salvage";

    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int s3 = 0;
        def.define(
                        BUCKET,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH,
                        "Bucket the objects are written to.",
                        S3_GROUP,
                        ++s3,
                        Width.MEDIUM,
                        "Bucket")
                .define(
                        REGION,
                        Type.STRING,
                        "us-east-1",
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.MEDIUM,
                        "AWS region of the bucket; with s3.endpoint, the region requests are"
                                + " signed for.",
                        S3_GROUP,
                        ++s3,
                        Width.SHORT,
                        "Region")
                .define(
                        ENDPOINT,
                        Type.STRING,
                        null,
                        endpointValidator(),
                        Importance.MEDIUM,
                        "URL of an S3-compatible store, like http://127.0.0.1:9000. Unset, the"
                                + " region's AWS endpoint is used. With an endpoint, checksums are"
                                + " computed and validated only when an operation requires them.",
                        S3_GROUP,
                        ++s3,
                        Width.LONG,
                        "Endpoint")
                .define(
                        PATH_STYLE,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Whether to address buckets in the path (http://host/bucket/key) instead"
                                + " of the host name; most S3-compatible stores need it.",
                        S3_GROUP,
                        ++s3,
                        Width.SHORT,
                        "Path-style access")
                .define(
                        ACCESS_KEY_ID,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Access key id. Set together with s3.secret-access-key; unset, the AWS"
                                + " SDK's default credentials provider chain is used (environment,"
                                + " profile, container or instance role).",
                        S3_GROUP,
                        ++s3,
                        Width.MEDIUM,
                        "Access key id")
                .define(
                        SECRET_ACCESS_KEY,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Secret access key belonging to s3.access-key-id.",
                        S3_GROUP,
                        ++s3,
                        Width.MEDIUM,
                        "Secret access key");
        int object = 0;
        def.define(
                        MODE,
                        Type.STRING,
                        MODE_RECORD,
                        ValidString.in(MODE_RECORD, MODE_BATCH),
                        Importance.HIGH,
                        "record: one object per record. batch: the records of each partition are"
                                + " written together as one object, each record's content"
                                + " followed by a newline.",
                        OBJECT_GROUP,
                        ++object,
                        Width.SHORT,
                        "Mode")
                .define(
                        KEY_TEMPLATE,
                        Type.STRING,
                        null,
                        Importance.HIGH,
                        "Object key template. Tokens: ${topic}, ${partition}, ${offset} and"
                                + " ${start-offset} (20 digits, zero-padded), ${key} (the record"
                                + " key as UTF-8), ${json:<pointer>} (the text at a JSON pointer in"
                                + " the value), ${json-time:<pointer>:<pattern>} (an RFC 3339"
                                + " date-time at a pointer, in UTC, formatted with a"
                                + " java.time.format.DateTimeFormatter pattern) and"
                                + " ${timestamp:<pattern>} (the record timestamp, in UTC). Default "
                                + RECORD_KEY_TEMPLATE
                                + " in record mode and "
                                + BATCH_KEY_TEMPLATE
                                + " in batch mode, where the key is rendered from the batch's first"
                                + " record and must contain ${start-offset} or ${offset}.",
                        OBJECT_GROUP,
                        ++object,
                        Width.LONG,
                        "Key template")
                .define(
                        CONTENT,
                        Type.STRING,
                        CONTENT_VALUE,
                        ValidString.in(CONTENT_VALUE, CONTENT_AT_POINTER),
                        Importance.HIGH,
                        "value: the record value's bytes as they are (bytes or a string)."
                                + " pointer: the node at s3.content.pointer in the JSON value,"
                                + " turned into bytes by s3.content.encoding.",
                        OBJECT_GROUP,
                        ++object,
                        Width.SHORT,
                        "Content")
                .define(
                        CONTENT_POINTER,
                        Type.STRING,
                        null,
                        JsonPointers.validator(),
                        Importance.MEDIUM,
                        "JSON pointer to the content in the value, like /payload/inline;"
                                + " required with s3.content=pointer.",
                        OBJECT_GROUP,
                        ++object,
                        Width.MEDIUM,
                        "Content pointer")
                .define(
                        CONTENT_ENCODING,
                        Type.STRING,
                        ContentSource.Encoding.BASE64.configName(),
                        ValidString.in(ENCODING_BASE64, ENCODING_TEXT, ENCODING_JSON),
                        Importance.MEDIUM,
                        "How the node at s3.content.pointer becomes bytes. base64: a string,"
                                + " decoded. text: a string, as UTF-8. json: the node's JSON"
                                + " text.",
                        OBJECT_GROUP,
                        ++object,
                        Width.SHORT,
                        "Content encoding")
                .define(
                        CLAIM_CHECK_POINTER,
                        Type.STRING,
                        null,
                        JsonPointers.validator(),
                        Importance.MEDIUM,
                        "JSON pointer to a claim check in the value, like /payload/s3. When the"
                                + " value has an object {\"bucket\": ..., \"key\": ...} there,"
                                + " that object is copied server-side to the record's key instead"
                                + " of writing content. Record mode only.",
                        OBJECT_GROUP,
                        ++object,
                        Width.MEDIUM,
                        "Claim-check pointer")
                .define(
                        CLAIM_CHECK_DELETE,
                        Type.BOOLEAN,
                        false,
                        Importance.MEDIUM,
                        "Whether to delete the claim-check object once it is copied. A"
                                + " redelivered record whose claim-check object is gone counts as"
                                + " written when its destination object exists.",
                        OBJECT_GROUP,
                        ++object,
                        Width.SHORT,
                        "Delete claim checks")
                .define(
                        CONTENT_TYPE,
                        Type.STRING,
                        "application/octet-stream",
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.LOW,
                        "Content-Type of the objects, unless s3.content-type.pointer finds one.",
                        OBJECT_GROUP,
                        ++object,
                        Width.MEDIUM,
                        "Content type")
                .define(
                        CONTENT_TYPE_POINTER,
                        Type.STRING,
                        null,
                        JsonPointers.validator(),
                        Importance.LOW,
                        "JSON pointer to each record's Content-Type in the value, like"
                                + " /payload/contentType; text there wins over s3.content-type."
                                + " Record mode only.",
                        OBJECT_GROUP,
                        ++object,
                        Width.MEDIUM,
                        "Content type pointer")
                .define(
                        PUT_CONCURRENCY,
                        Type.INT,
                        16,
                        Range.between(1, 256),
                        Importance.LOW,
                        "How many objects are written at once; a batch of records is done only"
                                + " when all of its objects are.",
                        OBJECT_GROUP,
                        ++object,
                        Width.SHORT,
                        "Put concurrency");
        int batch = 0;
        def.define(
                        BATCH_MAX_RECORDS,
                        Type.INT,
                        10_000,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Batch mode: most records in one object.",
                        BATCH_GROUP,
                        ++batch,
                        Width.SHORT,
                        "Max records")
                .define(
                        BATCH_MAX_BYTES,
                        Type.LONG,
                        67_108_864L,
                        Range.between(1, Integer.MAX_VALUE - 8),
                        Importance.MEDIUM,
                        "Batch mode: most bytes in one object, newlines included; a record"
                                + " larger than this is an object of its own. Each partition"
                                + " buffers up to this much in memory.",
                        BATCH_GROUP,
                        ++batch,
                        Width.SHORT,
                        "Max bytes")
                .define(
                        BATCH_MAX_SPAN_MS,
                        Type.LONG,
                        3_600_000L,
                        Range.atLeast(0),
                        Importance.MEDIUM,
                        "Batch mode: a record whose timestamp is at least this many milliseconds"
                                + " after the batch's first record starts a new object; 0 turns"
                                + " it off. Record time, not wall-clock time: an idle partition's"
                                + " last batch waits for the next record.",
                        BATCH_GROUP,
                        ++batch,
                        Width.SHORT,
                        "Max span");
        int report = 0;
        def.define(
                        COMPLETION_TOPIC,
                        Type.STRING,
                        null,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.MEDIUM,
                        "Kafka topic for completion messages, one per archived or salvaged"
                                + " record (per object in batch mode), on the source record's"
                                + " partition number. The producer is configured by the"
                                + " completion.producer.* keys.",
                        REPORT_GROUP,
                        ++report,
                        Width.MEDIUM,
                        "Completion topic")
                .define(
                        COMPLETION_BOOTSTRAP_SERVERS,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "Brokers of the completion producer; required with completion.topic."
                                + " Any other producer setting can be given the same way, as"
                                + " completion.producer.<setting>; acks=all and idempotence are"
                                + " always on.",
                        REPORT_GROUP,
                        ++report,
                        Width.LONG,
                        "Completion brokers")
                .define(
                        SALVAGE_BUCKET,
                        Type.STRING,
                        null,
                        new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.MEDIUM,
                        "Bucket for records that cannot be archived: each is written whole as a"
                                + " JSON envelope at ${topic}/${partition}/${offset}, then reported"
                                + " to the dead-letter queue.",
                        REPORT_GROUP,
                        ++report,
                        Width.MEDIUM,
                        "Salvage bucket");
        return def;
    }

    private final KeyTemplate keyTemplate;
    private final ContentSource contentSource;

    public S3SinkConnectorConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        this.keyTemplate = parseKeyTemplate();
        this.contentSource = parseContentSource();
        Password id = getPassword(ACCESS_KEY_ID);
        Password secret = getPassword(SECRET_ACCESS_KEY);
        if (id == null && secret != null) {
            throw new KeyedConfigException(
                    ACCESS_KEY_ID, null, "is required with " + SECRET_ACCESS_KEY);
        }
        if (id != null && secret == null) {
            throw new KeyedConfigException(
                    SECRET_ACCESS_KEY, null, "is required with " + ACCESS_KEY_ID);
        }
        if (batchMode()) {
            if (getString(CLAIM_CHECK_POINTER) != null) {
                throw new KeyedConfigException(
                        CLAIM_CHECK_POINTER,
                        getString(CLAIM_CHECK_POINTER),
                        "claim checks are copied as objects of their own: record mode only");
            }
            if (getString(CONTENT_TYPE_POINTER) != null) {
                throw new KeyedConfigException(
                        CONTENT_TYPE_POINTER,
                        getString(CONTENT_TYPE_POINTER),
                        "a batch object has one content type, s3.content-type: record mode only");
            }
        }
        if (getString(COMPLETION_TOPIC) != null) {
            String servers = getString(COMPLETION_BOOTSTRAP_SERVERS);
            if (servers == null || servers.isBlank()) {
                throw new KeyedConfigException(
                        COMPLETION_BOOTSTRAP_SERVERS,
                        servers,
                        "is required with " + COMPLETION_TOPIC);
            }
        }
    }

    private KeyTemplate parseKeyTemplate() {
        String text = getString(KEY_TEMPLATE);
        if (text == null) {
            text = batchMode() ? BATCH_KEY_TEMPLATE : RECORD_KEY_TEMPLATE;
        }
        KeyTemplate template;
        try {
            template = KeyTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KeyedConfigException(KEY_TEMPLATE, text, e.getMessage());
        }
        if (batchMode() && !template.namesTheOffset()) {
            throw new KeyedConfigException(
                    KEY_TEMPLATE,
                    text,
                    "in batch mode the key needs ${start-offset} or ${offset}, else batches"
                            + " overwrite each other");
        }
        return template;
    }

    private ContentSource parseContentSource() {
        if (getString(CONTENT).equals(CONTENT_VALUE)) {
            return ContentSource.value();
        }
        String pointer = getString(CONTENT_POINTER);
        if (pointer == null) {
            throw new KeyedConfigException(
                    CONTENT_POINTER,
                    null,
                    "is required with " + CONTENT + "=" + CONTENT_AT_POINTER);
        }
        return ContentSource.pointer(
                JsonPointers.compile(pointer),
                ContentSource.Encoding.of(getString(CONTENT_ENCODING)));
    }

    public String bucket() {
        return getString(BUCKET);
    }

    /** How to reach S3: an empty endpoint is AWS's, an empty key the default credentials chain. */
    public S3Settings s3() {
        Password id = getPassword(ACCESS_KEY_ID);
        Password secret = getPassword(SECRET_ACCESS_KEY);
        String endpoint = getString(ENDPOINT);
        return new S3Settings(
                endpoint == null ? "" : endpoint,
                getString(REGION),
                id == null ? "" : id.value(),
                secret == null ? "" : secret.value(),
                getBoolean(PATH_STYLE));
    }

    public boolean batchMode() {
        return getString(MODE).equals(MODE_BATCH);
    }

    public KeyTemplate keyTemplate() {
        return keyTemplate;
    }

    public ContentSource contentSource() {
        return contentSource;
    }

    public Optional<ClaimCheck> claimCheck() {
        return pointer(CLAIM_CHECK_POINTER).map(ClaimCheck::new);
    }

    public boolean deleteClaimChecks() {
        return getBoolean(CLAIM_CHECK_DELETE);
    }

    public String contentType() {
        return getString(CONTENT_TYPE);
    }

    public Optional<JsonPointer> contentTypePointer() {
        return pointer(CONTENT_TYPE_POINTER);
    }

    public int putConcurrency() {
        return getInt(PUT_CONCURRENCY);
    }

    public BatchLimits batchLimits() {
        return new BatchLimits(
                getInt(BATCH_MAX_RECORDS), getLong(BATCH_MAX_BYTES), getLong(BATCH_MAX_SPAN_MS));
    }

    public Optional<String> completionTopic() {
        return Optional.ofNullable(getString(COMPLETION_TOPIC));
    }

    /**
     * The completion producer's settings: every {@code completion.producer.*} key without its
     * prefix, with the settings at-least-once delivery depends on forced.
     */
    public Map<String, Object> completionProducerConfig() {
        Map<String, Object> producer =
                new HashMap<>(originalsWithPrefix(COMPLETION_PRODUCER_PREFIX));
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return producer;
    }

    public Optional<String> salvageBucket() {
        return Optional.ofNullable(getString(SALVAGE_BUCKET));
    }

    private Optional<JsonPointer> pointer(String key) {
        return Optional.ofNullable(getString(key)).map(JsonPointers::compile);
    }

    private static ConfigDef.Validator endpointValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                try {
                    URI uri = new URI((String) value);
                    boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
                    if (!web || uri.getHost() == null) {
                        throw new ConfigException(
                                name, value, "must be an http:// or https:// URL with a host");
                    }
                } catch (URISyntaxException e) {
                    throw new ConfigException(name, value, "is not a URL: " + e.getReason());
                }
            }

            @Override
            public String toString() {
                return "an http:// or https:// URL";
            }
        };
    }
}
