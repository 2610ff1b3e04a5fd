package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.config.TlsSettings;
import dev.millrace.local.testing.Await;
import dev.millrace.local.testing.Trust;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local broker as a Global Cache runs it: MQTT over TLS with accounts, read-only subscribers,
 * and the cache topics published by millrace alone; anonymous development clients on the plain port
 * only.
 */
class MqttAccessIT {
    private static final String RESERVED = "cache/a/wis2/#";
    private static final String SERVICE_PASSWORD = UUID.randomUUID().toString();

    static Path dir;
    static Path certificate;
    static LocalMqtt broker;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mqtt-access");
        TlsSettings tls = SelfSignedKeystore.ensure(dir.resolve("tls"), "127.0.0.1");
        certificate = dir.resolve("tls").resolve(SelfSignedKeystore.CERTIFICATE);
        broker =
                LocalMqtt.start(
                        dir.resolve("broker"),
                        "127.0.0.1",
                        Ports.free(),
                        new MqttAccess(
                                Ports.free(),
                                tls,
                                "millrace",
                                SERVICE_PASSWORD,
                                Map.of("everyone", "everyone"),
                                true,
                                List.of(RESERVED)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static MqttClient connect(String url, String user, String password) throws Exception {
        MqttClient client =
                new MqttClient(url, "access-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        if (url.startsWith("ssl://")) {
            options.setSocketFactory(Trust.socketFactory(certificate));
        }
        client.connect(options);
        return client;
    }

    private static List<String> subscribe(MqttClient client) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        client.subscribe(
                "#",
                1,
                (topic, message) ->
                        received.add(
                                topic
                                        + " "
                                        + new String(
                                                message.getPayload(), StandardCharsets.UTF_8)));
        return received;
    }

    @Test
    void everyoneReadsOverTlsAndOnlyMillracePublishesCacheNotifications() throws Exception {
        MqttClient reader = connect(broker.tlsUrl(), "everyone", "everyone");
        List<String> received = subscribe(reader);
        MqttClient service = connect(broker.tlsUrl(), "millrace", SERVICE_PASSWORD);
        MqttClient anonymous = connect(broker.url(), null, null);
        try {
            try {
                anonymous.publish("cache/a/wis2/xx/data/core/fake", "fake".getBytes(), 1, false);
            } catch (MqttException refused) {
                // MQTT 3.1.1 has no way to refuse a publication but to close the connection.
            }
            MqttClient otherReader = connect(broker.tlsUrl(), "everyone", "everyone");
            try {
                otherReader.publish(
                        "origin/a/wis2/xx/data/core/x", "by a reader".getBytes(), 1, false);
            } catch (MqttException refused) {
                // As above.
            } finally {
                otherReader.close(true);
            }
            anonymous = connect(broker.url(), null, null);
            anonymous.publish("carCoordinates", "a fix".getBytes(), 1, false);
            service.publish("cache/a/wis2/xx/data/core/real", "real".getBytes(), 1, false);

            Await.until(
                    "the service's notification",
                    Duration.ofSeconds(10),
                    () -> received.contains("cache/a/wis2/xx/data/core/real real"));
            // Delivery is in order per publisher; the fake one, sent first, never came.
            assertThat(received)
                    .contains("carCoordinates a fix")
                    .doesNotContain("cache/a/wis2/xx/data/core/fake fake")
                    .noneMatch(m -> m.contains("by a reader"));
        } finally {
            for (MqttClient client : List.of(reader, service, anonymous)) {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
        }
    }

    @Test
    void tlsRefusesAnonymousClientsAndWrongPasswords() {
        assertThatThrownBy(() -> connect(broker.tlsUrl(), null, null))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> connect(broker.tlsUrl(), "everyone", "wrong"))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> connect(broker.url(), "millrace", "wrong"))
                .isInstanceOf(MqttSecurityException.class);
    }

    @Test
    void theCertificateIsMadeOnceAndKept() throws Exception {
        TlsSettings again = SelfSignedKeystore.ensure(dir.resolve("tls"), "127.0.0.1");
        assertThat(again.keystore())
                .isEqualTo(dir.resolve("tls").resolve(SelfSignedKeystore.KEYSTORE));
        assertThat(again.serverContext()).isNotNull();
        assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
