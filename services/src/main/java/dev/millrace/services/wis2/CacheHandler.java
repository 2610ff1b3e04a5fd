package dev.millrace.services.wis2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /wis2/cache/<key>}: the cached object's exact bytes, without credentials, as the hrefs
 * of cache notifications promise.
 */
public final class CacheHandler implements HttpHandler {
    public static final String PATH = "/wis2/cache/";

    private final CacheWorker worker;

    public CacheHandler(CacheWorker worker) {
        this.worker = worker;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")
                && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        String raw = exchange.getRequestURI().getRawPath().substring(PATH.length());
        StringBuilder key = new StringBuilder();
        for (String segment : raw.split("/")) {
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        var object = worker.store().get(key.toString());
        if (object.isEmpty()) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] bytes = object.get().asByteArray();
        String type = object.get().response().contentType();
        exchange.getResponseHeaders()
                .set("Content-Type", type == null ? "application/octet-stream" : type);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
