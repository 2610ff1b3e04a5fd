package dev.millrace.wis2;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a notification's data lives in the cache: one object per (data_id, pubtime), named after
 * the data id, so the key is deterministic (a retried fetch overwrites its own object) and says
 * what it holds.
 */
public final class CacheKeys {
    private CacheKeys() {}

    /** {@code <data_id>/<pubtime epoch ms>/<file name of the download link, or "data">}. */
    public static String objectKey(Notification notification) {
        String file =
                notification
                        .downloadLink()
                        .map(l -> fileName(l.href()))
                        .filter(f -> !f.isEmpty())
                        .orElse("data");
        return clean(notification.dataId())
                + "/"
                + notification.pubtime().toEpochMilli()
                + "/"
                + clean(file);
    }

    /** The public URL of an object under the cache's base URL, each path segment escaped. */
    public static String href(String baseUrl, String key) {
        String path =
                Arrays.stream(key.split("/"))
                        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                        .collect(Collectors.joining("/"));
        return (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + path;
    }

    private static String fileName(String href) {
        try {
            String path = URI.create(href).getPath();
            return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** No empty segments, no {@code .} or {@code ..}: the key is a plain path. */
    private static String clean(String path) {
        return Arrays.stream(path.split("/"))
                .filter(s -> !s.isEmpty() && !s.equals(".") && !s.equals(".."))
                .collect(Collectors.joining("/"));
    }
}
