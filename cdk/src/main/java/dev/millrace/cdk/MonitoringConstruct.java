package dev.millrace.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Operations: one SNS topic for alarms, alarms on consumer lag (each group, each topic it reads),
 * dead-letter growth (each pipeline's DLQ), audit ingest 5xx, the brokers' disks and offline
 * partitions, Flink restarts and failed checkpoints; and one dashboard with all of them.
 */
public final class MonitoringConstruct extends Construct {
    private static final Duration PERIOD = Duration.minutes(1);

    private final EnvironmentConfig env;
    private final Topic alarms;
    private final Dashboard dashboard;
    private final List<IMetric> lagMetrics = new ArrayList<>();
    private final List<IMetric> dlqMetrics = new ArrayList<>();
    private final List<IMetric> httpMetrics = new ArrayList<>();
    private final List<IMetric> flinkMetrics = new ArrayList<>();
    private final Map<String, Alarm> byName = new LinkedHashMap<>();

    public MonitoringConstruct(Construct scope, String id, EnvironmentConfig env, IKey key) {
        super(scope, id);
        this.env = env;
        alarms =
                Topic.Builder.create(this, "Alarms")
                        .topicName(env.prefix() + "-alarms")
                        .masterKey(key)
                        .enforceSsl(true)
                        .build();
        if (!env.alarmEmail().isEmpty()) {
            alarms.addSubscription(new EmailSubscription(env.alarmEmail()));
        }
        dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName(env.prefix()).build();
    }

    /** Lag of {@code group} on each of {@code topics}: alarm when it keeps growing past bounds. */
    public void consumerLag(String group, List<String> topics, double threshold) {
        for (String topic : topics) {
            Metric lag =
                    Metric.Builder.create()
                            .namespace("AWS/Kafka")
                            .metricName("SumOffsetLag")
                            .dimensionsMap(
                                    Map.of(
                                            "Cluster Name", env.prefix(),
                                            "Consumer Group", group,
                                            "Topic", topic))
                            .statistic("Maximum")
                            .period(PERIOD)
                            .label(group + " on " + topic)
                            .build();
            lagMetrics.add(lag);
            alarm(
                    "Lag " + group + " " + topic,
                    lag,
                    threshold,
                    5,
                    "consumer group " + group + " is falling behind on " + topic);
        }
    }

    /** Records arriving on a dead-letter topic: any is an alarm. */
    public void deadLetters(String topic, int brokers, boolean provisioned) {
        IMetric metric;
        if (provisioned) {
            // Per-topic rates are per broker on provisioned clusters: add them up.
            Map<String, IMetric> perBroker = new LinkedHashMap<>();
            for (int broker = 1; broker <= brokers; broker++) {
                perBroker.put(
                        "dlq" + dlqMetrics.size() + "b" + broker,
                        Metric.Builder.create()
                                .namespace("AWS/Kafka")
                                .metricName("MessagesInPerSec")
                                .dimensionsMap(
                                        Map.of(
                                                "Cluster Name", env.prefix(),
                                                "Broker ID", String.valueOf(broker),
                                                "Topic", topic))
                                .statistic("Sum")
                                .period(PERIOD)
                                .build());
            }
            metric =
                    MathExpression.Builder.create()
                            .expression(
                                    String.join(
                                            " + ",
                                            perBroker.keySet().stream()
                                                    .map(k -> "FILL(" + k + ", 0)")
                                                    .toList()))
                            .usingMetrics(perBroker)
                            .label(topic)
                            .period(PERIOD)
                            .build();
        } else {
            metric =
                    Metric.Builder.create()
                            .namespace("AWS/Kafka")
                            .metricName("MessagesInPerSec")
                            .dimensionsMap(Map.of("Cluster Name", env.prefix(), "Topic", topic))
                            .statistic("Sum")
                            .period(PERIOD)
                            .label(topic)
                            .build();
        }
        dlqMetrics.add(metric);
        alarm("Dead letters " + topic, metric, 0, 1, "records are being dead-lettered to " + topic);
    }

    /** 5xx answers of the audit ingest, from its targets or the load balancer itself. */
    public void ingestErrors(IApplicationLoadBalancer alb) {
        IMetric targets =
                alb.getMetrics()
                        .httpCodeTarget(
                                HttpCodeTarget.TARGET_5XX_COUNT,
                                software.amazon.awscdk.services.cloudwatch.MetricOptions.builder()
                                        .period(PERIOD)
                                        .statistic("Sum")
                                        .build());
        IMetric elb =
                alb.getMetrics()
                        .httpCodeElb(
                                HttpCodeElb.ELB_5XX_COUNT,
                                software.amazon.awscdk.services.cloudwatch.MetricOptions.builder()
                                        .period(PERIOD)
                                        .statistic("Sum")
                                        .build());
        httpMetrics.add(targets);
        httpMetrics.add(elb);
        alarm("Ingest target 5xx", targets, 5, 3, "the audit ingest answers 5xx");
        alarm("Ingest load balancer 5xx", elb, 5, 3, "the audit load balancer answers 5xx");
    }

    /** The brokers: data disks filling up, partitions offline. */
    public void brokers(int brokers) {
        for (int broker = 1; broker <= brokers; broker++) {
            alarm(
                    "Broker " + broker + " disk",
                    Metric.Builder.create()
                            .namespace("AWS/Kafka")
                            .metricName("KafkaDataLogsDiskUsed")
                            .dimensionsMap(
                                    Map.of(
                                            "Cluster Name", env.prefix(),
                                            "Broker ID", String.valueOf(broker)))
                            .statistic("Maximum")
                            .period(Duration.minutes(5))
                            .build(),
                    80,
                    3,
                    "broker " + broker + " data disk over 80 %");
        }
        alarm(
                "Offline partitions",
                Metric.Builder.create()
                        .namespace("AWS/Kafka")
                        .metricName("OfflinePartitionsCount")
                        .dimensionsMap(Map.of("Cluster Name", env.prefix()))
                        .statistic("Maximum")
                        .period(PERIOD)
                        .build(),
                0,
                1,
                "partitions are offline");
    }

    /** A Flink application: restarts and failed checkpoints. */
    public void flink(String applicationName) {
        Metric restarts =
                Metric.Builder.create()
                        .namespace("AWS/KinesisAnalytics")
                        .metricName("numRestarts")
                        .dimensionsMap(Map.of("Application", applicationName))
                        .statistic("Maximum")
                        .period(Duration.minutes(5))
                        .label(applicationName + " restarts")
                        .build();
        Metric failed =
                Metric.Builder.create()
                        .namespace("AWS/KinesisAnalytics")
                        .metricName("numberOfFailedCheckpoints")
                        .dimensionsMap(Map.of("Application", applicationName))
                        .statistic("Maximum")
                        .period(Duration.minutes(5))
                        .label(applicationName + " failed checkpoints")
                        .build();
        flinkMetrics.add(restarts);
        flinkMetrics.add(failed);
        alarm("Flink restarts " + applicationName, restarts, 0, 1, applicationName + " restarted");
        alarm(
                "Flink checkpoints " + applicationName,
                failed,
                0,
                1,
                applicationName + " failed a checkpoint");
    }

    private void alarm(
            String name, IMetric metric, double threshold, int periods, String description) {
        String id = name.replaceAll("[^A-Za-z0-9]", "");
        Alarm alarm =
                metricAlarm(id, metric, threshold, periods, env.prefix() + ": " + description);
        alarm.addAlarmAction(new SnsAction(alarms));
        byName.put(name, alarm);
    }

    private Alarm metricAlarm(
            String id, IMetric metric, double threshold, int periods, String description) {
        CreateAlarmOptions options =
                CreateAlarmOptions.builder()
                        .alarmDescription(description)
                        .threshold(threshold)
                        .evaluationPeriods(periods)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build();
        if (metric instanceof Metric m) {
            return m.createAlarm(this, id, options);
        }
        return ((MathExpression) metric).createAlarm(this, id, options);
    }

    /** Lays the dashboard out once every metric is known. */
    public void finish() {
        dashboard.addWidgets(graph("Consumer lag (offsets)", lagMetrics));
        dashboard.addWidgets(graph("Dead letters (records / min)", dlqMetrics));
        if (!httpMetrics.isEmpty()) {
            dashboard.addWidgets(graph("Audit ingest 5xx", httpMetrics));
        }
        if (!flinkMetrics.isEmpty()) {
            dashboard.addWidgets(graph("Flink restarts and failed checkpoints", flinkMetrics));
        }
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).width(24).left(metrics).build();
    }

    public Topic alarms() {
        return alarms;
    }

    public Map<String, Alarm> alarmsByName() {
        return byName;
    }
}
