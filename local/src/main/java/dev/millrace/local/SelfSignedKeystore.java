package dev.millrace.local;

import dev.millrace.config.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for the local servers, made once with the JDK's {@code keytool} and
 * kept: {@code millrace.p12} (key and certificate), its password in {@code keystore.password}
 * (owner-only), and {@code millrace.crt} (PEM) for clients to trust.
 */
public final class SelfSignedKeystore {
    public static final String KEYSTORE = "millrace.p12";
    public static final String CERTIFICATE = "millrace.crt";
    private static final String PASSWORD = "keystore.password";
    private static final String ALIAS = "millrace";

    private SelfSignedKeystore() {}

    /** The keystore under {@code dir}, made for {@code host} (and localhost) if missing. */
    public static TlsSettings ensure(Path dir, String host) throws IOException {
        Path keystore = dir.resolve(KEYSTORE);
        Path passwordFile = dir.resolve(PASSWORD);
        if (Files.exists(keystore) && Files.exists(passwordFile)) {
            return new TlsSettings(keystore, LocalSecret.ensure(passwordFile));
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(keystore);
        Files.deleteIfExists(passwordFile);
        String password = LocalSecret.ensure(passwordFile);
        List<String> san = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1"));
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            san.add((host.matches("[0-9.]+|.*:.*") ? "ip:" : "dns:") + host);
        }
        keytool(
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-validity",
                "825",
                "-dname",
                "CN=millrace local",
                "-ext",
                "SAN=" + String.join(",", san),
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                ALIAS,
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-file",
                dir.resolve(CERTIFICATE).toString());
        LocalSecret.ownerOnly(keystore);
        return new TlsSettings(keystore, password);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
