package dev.millrace.services.wis2;

import dev.millrace.wis2.CacheStep;
import dev.millrace.wis2.CacheStep.FetchException;
import dev.millrace.wis2.CacheStep.TooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Downloads a notification's data: bounded time per attempt, retries with doubling backoff on 5xx
 * answers and I/O errors, a size cap. Any other answer fails at once.
 */
final class Downloader implements CacheStep.Fetcher {
    private static final long FIRST_BACKOFF_MS = 200;

    private final HttpClient http;
    private final Duration timeout;
    private final long maxBytes;
    private final int retries;

    Downloader(Duration timeout, long maxBytes, int retries) {
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.retries = retries;
    }

    @Override
    public byte[] fetch(String href) throws FetchException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(href);
        } catch (IllegalArgumentException e) {
            throw new FetchException("not a URL: " + href);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
            throw new FetchException("not an http(s) URL: " + href);
        }
        String last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                Thread.sleep(FIRST_BACKOFF_MS << (attempt - 1));
            }
            try {
                HttpResponse<InputStream> response =
                        http.send(
                                HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                try (InputStream body = response.body()) {
                    if (status == 200) {
                        byte[] data =
                                body.readNBytes(
                                        (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                        if (data.length > maxBytes) {
                            throw new TooLargeException(
                                    href
                                            + " is larger than wis2.fetch.max-bytes ("
                                            + maxBytes
                                            + ")");
                        }
                        return data;
                    }
                    last = href + " answered HTTP " + status;
                    if (status < 500) {
                        throw new FetchException(last);
                    }
                }
            } catch (IOException e) {
                last =
                        href
                                + ": "
                                + (e.getMessage() == null
                                        ? e.getClass().getSimpleName()
                                        : e.getMessage());
            }
        }
        throw new FetchException(last + " (after " + (retries + 1) + " attempts)");
    }
}
