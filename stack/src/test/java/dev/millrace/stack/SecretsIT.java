package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.local.testing.Trust;
import dev.millrace.services.http.Health;
import dev.millrace.stack.testing.Commands;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret leaks: with every logger at INFO, a stack given its own API key, S3 secret and MQTT
 * password serves requests that use them (and some that get them wrong), and then none of the three
 * appears in a log line, {@code /health}, {@code /metrics}, {@code millrace config} or Kafka
 * Connect's status of any connector.
 */
class SecretsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void noSecretAppearsInLogsHealthMetricsConfigOrConnectStatus() throws Exception {
        String apiKey = "ak-" + UUID.randomUUID();
        String s3Secret = "s3-" + UUID.randomUUID();
        String mqttPassword = "mq-" + UUID.randomUUID();
        List<String> secrets = List.of(apiKey, s3Secret, mqttPassword);

        StringWriter logs = new StringWriter();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        WriterAppender capture =
                WriterAppender.newBuilder()
                        .setName("secrets-capture")
                        .setTarget(logs)
                        .setLayout(
                                PatternLayout.newBuilder()
                                        .withPattern("%c %m %throwable%n")
                                        .build())
                        .build();
        capture.start();
        configuration.addAppender(capture);
        List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
        loggers.add(configuration.getRootLogger());
        Map<LoggerConfig, Level> levels = new java.util.HashMap<>();
        for (LoggerConfig logger : loggers) {
            levels.put(logger, logger.getLevel());
            logger.addAppender(capture, Level.ALL, null);
            if (logger.getLevel().isMoreSpecificThan(Level.INFO)) {
                logger.setLevel(Level.INFO);
            }
        }
        context.updateLoggers();

        List<String> outputs = new ArrayList<>();
        try {
            LocalStackSettings settings =
                    LocalStackSettings.onFreePorts(
                            dir,
                            Map.of(
                                    "audit.api-keys", "ops:" + apiKey,
                                    "s3.secret-key", s3Secret,
                                    "local.mqtt.readers", "watcher:" + mqttPassword),
                            Map.of());
            try (LocalStack stack = LocalStack.start(settings)) {
                Map<String, Health.Status> health = stack.awaitHealthy(Duration.ofMinutes(2));
                assertThat(health.values()).as(health.toString()).allMatch(Health.Status::up);

                // The key works, and a wrong one is refused; both are in the requests now.
                assertThat(post(settings, apiKey).statusCode()).isEqualTo(202);
                assertThat(post(settings, apiKey + "-wrong").statusCode()).isEqualTo(401);
                // The MQTT password works over TLS, and a wrong one is refused.
                mqttLogin(stack, mqttPassword);
                assertThat(
                                org.assertj.core.api.Assertions.catchThrowable(
                                        () -> mqttLogin(stack, mqttPassword + "-wrong")))
                        .isInstanceOf(MqttException.class);

                outputs.add(get(settings.httpUrl() + "/health"));
                outputs.add(get(settings.httpUrl() + "/metrics"));
                String connectors = get(settings.connectUrl() + "/connectors");
                outputs.add(connectors);
                for (String name : connectors.replaceAll("[\\[\\]\"]", "").split(",")) {
                    outputs.add(get(settings.connectUrl() + "/connectors/" + name + "/status"));
                }
            }
            outputs.add(config());
        } finally {
            for (LoggerConfig logger : loggers) {
                logger.removeAppender(capture.getName());
                logger.setLevel(levels.get(logger));
            }
            context.updateLoggers();
            capture.stop();
        }

        String logged = logs.toString();
        assertThat(logged).as("what was logged at INFO").contains("dev.millrace");
        for (String secret : secrets) {
            assertThat(logged).as("log lines").doesNotContain(secret);
            assertThat(outputs)
                    .as("health, metrics, config, connector status")
                    .noneMatch(text -> text.contains(secret));
        }
    }

    private static HttpResponse<String> post(LocalStackSettings settings, String key)
            throws Exception {
        String body =
                "{\"messageMetaData\": {\"messageType\": \"payment\", \"sourceSystemID\":"
                        + " \"ledger\", \"sourceTransactionID\": \"tx-1\", \"dateTime\":"
                        + " \"2026-03-15T09:41:07Z\"}, \"messagePayload\": {\"a\": 1}}";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static void mqttLogin(LocalStack stack, String password) throws Exception {
        MqttClient client =
                new MqttClient(
                        stack.settings().mqttTlsUrl(),
                        "secrets-" + UUID.randomUUID(),
                        new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("watcher");
        options.setPassword(password.toCharArray());
        options.setSocketFactory(Trust.socketFactory(stack.certificate()));
        options.setConnectionTimeout(10);
        try {
            client.connect(options);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    private static String config() {
        Commands.Run run = Commands.run("config");
        assertThat(run.exit()).isZero();
        return run.out();
    }
}
