package dev.millrace.wis2;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies {@code properties.integrity}: the WNM methods, the value in base64 as the standard says
 * (hex is accepted too, as some publishers send it).
 */
public final class Checksums {
    private static final Map<String, String> ALGORITHMS =
            Map.of(
                    "sha256", "SHA-256",
                    "sha384", "SHA-384",
                    "sha512", "SHA-512",
                    "sha3-256", "SHA3-256",
                    "sha3-384", "SHA3-384",
                    "sha3-512", "SHA3-512");

    private Checksums() {}

    /**
     * @throws IllegalArgumentException for a method the WNM standard does not list
     */
    public static boolean matches(byte[] data, Notification.Integrity integrity) {
        byte[] actual = digest(integrity.method(), data);
        byte[] expected = decode(integrity.value().trim(), actual.length);
        return expected != null && MessageDigest.isEqual(actual, expected);
    }

    public static byte[] digest(String method, byte[] data) {
        String algorithm = ALGORITHMS.get(method.toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            throw new IllegalArgumentException(
                    "unknown integrity method '"
                            + method
                            + "'; expected one of "
                            + ALGORITHMS.keySet());
        }
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from this JVM", e);
        }
    }

    /**
     * The expected digest from its text: hex when the text is exactly as long as the hex of a
     * digest of this length (base64 of the same digest is always shorter), base64 otherwise; null
     * when it is neither.
     */
    private static byte[] decode(String value, int digestLength) {
        if (value.length() == 2 * digestLength
                && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(value);
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
