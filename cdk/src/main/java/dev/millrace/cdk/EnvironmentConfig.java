package dev.millrace.cdk;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One deployment environment ({@code cdk/env/<name>.properties}): where it goes, its sizes, which
 * pipelines run and on which engine. Keys under {@code millrace.} are millrace's own settings,
 * passed unchanged to every component; every other key is checked here, and an unknown or bad one
 * fails the synth naming the key and the file.
 */
public record EnvironmentConfig(
        String name,
        String account,
        String region,
        String vpcId,
        String vpcCidr,
        List<String> availabilityZones,
        List<String> privateSubnetIds,
        List<String> publicSubnetIds,
        int natGateways,
        MskMode mskMode,
        String kafkaVersion,
        String brokerType,
        int brokers,
        int brokerVolumeGib,
        List<String> pipelines,
        Map<String, Engine> engines,
        int serviceCpu,
        int serviceMemoryMib,
        int serviceMinTasks,
        int serviceMaxTasks,
        int lagPerTask,
        int requestsPerTask,
        int flinkParallelism,
        int flinkParallelismPerKpu,
        boolean flinkAutoScaling,
        long flinkCheckpointIntervalMs,
        int connectMcu,
        int connectMinWorkers,
        int connectMaxWorkers,
        int mqttCpu,
        int mqttMemoryMib,
        String apiCertificateArn,
        String mqttCertificateArn,
        String mqttDomainName,
        int logRetentionDays,
        int cacheRetentionDays,
        int stagingExpiryDays,
        int archiveNoncurrentDays,
        boolean retain,
        String alarmEmail,
        Map<String, String> millraceSettings) {

    /** Where a pipeline's topology runs. */
    public enum Engine {
        STREAMS,
        FLINK
    }

    /** A provisioned cluster (3 AZs, our broker settings) or MSK Serverless. */
    public enum MskMode {
        PROVISIONED,
        SERVERLESS
    }

    public static final String MILLRACE_PREFIX = "millrace.";

    private static final Set<String> KNOWN =
            Set.of(
                    "account",
                    "region",
                    "vpc.id",
                    "vpc.cidr",
                    "vpc.availability-zones",
                    "vpc.private-subnet-ids",
                    "vpc.public-subnet-ids",
                    "vpc.nat-gateways",
                    "msk.mode",
                    "msk.kafka-version",
                    "msk.broker-type",
                    "msk.brokers",
                    "msk.volume-gib",
                    "pipelines",
                    "service.cpu",
                    "service.memory-mib",
                    "service.min-tasks",
                    "service.max-tasks",
                    "service.lag-per-task",
                    "api.requests-per-task",
                    "flink.parallelism",
                    "flink.parallelism-per-kpu",
                    "flink.autoscaling",
                    "flink.checkpoint-interval-ms",
                    "connect.mcu",
                    "connect.min-workers",
                    "connect.max-workers",
                    "mqtt.cpu",
                    "mqtt.memory-mib",
                    "api.certificate-arn",
                    "mqtt.certificate-arn",
                    "mqtt.domain-name",
                    "log.retention-days",
                    "wis2.cache-retention-days",
                    "audit.staging-expiry-days",
                    "audit.archive-noncurrent-days",
                    "removal",
                    "alarm.email");

    /** Reads {@code <dir>/<name>.properties}. */
    public static EnvironmentConfig load(Path dir, String name) {
        Path file = dir.resolve(name + ".properties");
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read environment file " + file, e);
        }
        Map<String, String> values = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
        return parse(name, values, file.toString());
    }

    /** Every environment file in {@code dir}, by name. */
    public static List<String> names(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".properties"))
                    .map(f -> f.substring(0, f.length() - ".properties".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list environment files in " + dir, e);
        }
    }

    static EnvironmentConfig parse(String name, Map<String, String> values, String origin) {
        Fields r = new Fields(values, origin);
        for (String key : values.keySet()) {
            if (!KNOWN.contains(key)
                    && !key.startsWith(MILLRACE_PREFIX)
                    && !key.startsWith("engine.")) {
                throw new IllegalArgumentException(origin + ": unknown key " + key);
            }
        }
        List<String> pipelines = r.list("pipelines");
        Map<String, Engine> engines = new LinkedHashMap<>();
        for (String pipeline : pipelines) {
            engines.put(pipeline, r.choice("engine." + pipeline, Engine.class));
        }
        for (String key : values.keySet()) {
            if (key.startsWith("engine.")
                    && !pipelines.contains(key.substring("engine.".length()))) {
                throw new IllegalArgumentException(
                        origin + ": " + key + " names a pipeline that is not in 'pipelines'");
            }
        }
        Map<String, String> millrace = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (k.startsWith(MILLRACE_PREFIX)) {
                        millrace.put(k.substring(MILLRACE_PREFIX.length()), v);
                    }
                });
        String vpcId = r.optional("vpc.id");
        List<String> azs = r.list("vpc.availability-zones");
        if (azs.size() != 3) {
            throw new IllegalArgumentException(
                    origin + ": vpc.availability-zones must name three zones, MSK spans three");
        }
        String removal = r.required("removal");
        if (!removal.equals("retain") && !removal.equals("destroy")) {
            throw new IllegalArgumentException(origin + ": removal must be retain or destroy");
        }
        int min = r.integer("service.min-tasks");
        int max = r.integer("service.max-tasks");
        if (min < 1 || max < min) {
            throw new IllegalArgumentException(
                    origin + ": need 1 <= service.min-tasks <= service.max-tasks");
        }
        return new EnvironmentConfig(
                name,
                r.optional("account"),
                r.required("region"),
                vpcId,
                r.required("vpc.cidr"),
                azs,
                vpcId.isEmpty() ? List.of() : r.list("vpc.private-subnet-ids"),
                vpcId.isEmpty() ? List.of() : r.list("vpc.public-subnet-ids"),
                r.integer("vpc.nat-gateways"),
                r.choice("msk.mode", MskMode.class),
                r.required("msk.kafka-version"),
                r.required("msk.broker-type"),
                r.integer("msk.brokers"),
                r.integer("msk.volume-gib"),
                pipelines,
                engines,
                r.integer("service.cpu"),
                r.integer("service.memory-mib"),
                min,
                max,
                r.integer("service.lag-per-task"),
                r.integer("api.requests-per-task"),
                r.integer("flink.parallelism"),
                r.integer("flink.parallelism-per-kpu"),
                Boolean.parseBoolean(r.required("flink.autoscaling")),
                Long.parseLong(r.required("flink.checkpoint-interval-ms")),
                r.integer("connect.mcu"),
                r.integer("connect.min-workers"),
                r.integer("connect.max-workers"),
                r.integer("mqtt.cpu"),
                r.integer("mqtt.memory-mib"),
                r.required("api.certificate-arn"),
                r.required("mqtt.certificate-arn"),
                r.required("mqtt.domain-name"),
                r.integer("log.retention-days"),
                r.integer("wis2.cache-retention-days"),
                r.integer("audit.staging-expiry-days"),
                r.integer("audit.archive-noncurrent-days"),
                removal.equals("retain"),
                r.optional("alarm.email"),
                millrace);
    }

    public boolean runs(String pipeline) {
        return pipelines.contains(pipeline);
    }

    public Engine engine(String pipeline) {
        return engines.get(pipeline);
    }

    /** Resource names: {@code millrace-<env>}. */
    public String prefix() {
        return "millrace-" + name;
    }

    private record Fields(Map<String, String> values, String origin) {
        String required(String key) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException(origin + ": key " + key + " must be set");
            }
            return v;
        }

        String optional(String key) {
            return values.getOrDefault(key, "");
        }

        int integer(String key) {
            String v = required(key);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        origin + ": key " + key + " must be a whole number, not " + v);
            }
        }

        List<String> list(String key) {
            return Arrays.stream(required(key).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        <E extends Enum<E>> E choice(String key, Class<E> type) {
            String v = required(key);
            try {
                return Enum.valueOf(type, v.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                Set<String> allowed = new TreeSet<>();
                for (E c : type.getEnumConstants()) {
                    allowed.add(c.name().toLowerCase(java.util.Locale.ROOT));
                }
                throw new IllegalArgumentException(
                        origin + ": key " + key + " must be one of " + allowed + ", not " + v);
            }
        }
    }
}
