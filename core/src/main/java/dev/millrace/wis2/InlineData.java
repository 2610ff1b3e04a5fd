package dev.millrace.wis2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/** Decodes {@code properties.content}: the data carried inside the notification. */
public final class InlineData {
    /** Inline data is at most 4096 bytes encoded; gzip may expand it, but not without bound. */
    private static final int MAX_DECODED = 16 * 1024 * 1024;

    private InlineData() {}

    /**
     * @throws InvalidNotificationException for an unknown encoding or a value that does not decode
     */
    public static byte[] decode(Notification.InlineContent content) {
        String value = content.value();
        try {
            return switch (content.encoding()) {
                case "utf-8" -> value.getBytes(StandardCharsets.UTF_8);
                case "base64" -> Base64.getDecoder().decode(value);
                case "gzip" -> gunzip(Base64.getDecoder().decode(value));
                default ->
                        throw new InvalidNotificationException(
                                "properties.content.encoding must be utf-8, base64 or gzip, got '"
                                        + content.encoding()
                                        + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidNotificationException(
                    "properties.content.value is not valid base64: " + e.getMessage());
        }
    }

    private static byte[] gunzip(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] data = in.readNBytes(MAX_DECODED + 1);
            if (data.length > MAX_DECODED) {
                throw new InvalidNotificationException(
                        "properties.content inflates beyond " + MAX_DECODED + " bytes");
            }
            return data;
        } catch (IOException e) {
            throw new InvalidNotificationException(
                    "properties.content.value is not gzip data: " + e.getMessage());
        }
    }
}
