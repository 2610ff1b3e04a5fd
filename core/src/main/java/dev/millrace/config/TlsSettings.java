package dev.millrace.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The certificate millrace's own servers present: the HTTPS API and, locally, the MQTT broker's TLS
 * listener. A PKCS12 keystore holding one private key and its chain.
 *
 * @param keystore the keystore, or null when none is configured
 */
public record TlsSettings(Path keystore, String password) {
    public static final ConfigKey<Path> KEYSTORE =
            ConfigKey.path(
                    "tls.keystore",
                    Path.of(""),
                    "PKCS12 keystore with the key and certificate millrace's servers present"
                            + " (HTTPS API, local MQTT over TLS). Empty: the local stack makes a"
                            + " self-signed one at first start, under <data-dir>/tls; a lone run"
                            + " serves no HTTPS.");
    public static final ConfigKey<String> KEYSTORE_PASSWORD =
            ConfigKey.secret(
                    "tls.keystore-password",
                    "",
                    "Password of tls.keystore (and of its key); set it through the environment.");

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(KEYSTORE, KEYSTORE_PASSWORD));

    public static TlsSettings from(Config config) {
        Path keystore = config.get(KEYSTORE);
        return new TlsSettings(
                keystore.toString().isEmpty() ? null : keystore, config.get(KEYSTORE_PASSWORD));
    }

    public boolean configured() {
        return keystore != null;
    }

    /** A server-side TLS context presenting the keystore's key. */
    public SSLContext serverContext() {
        if (keystore == null) {
            throw new ConfigException("no " + KEYSTORE.name() + " configured");
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(
                    "bad value for key "
                            + KEYSTORE.name()
                            + ": cannot load "
                            + keystore
                            + " with "
                            + KEYSTORE_PASSWORD.name()
                            + ": "
                            + e.getMessage());
        }
    }
}
