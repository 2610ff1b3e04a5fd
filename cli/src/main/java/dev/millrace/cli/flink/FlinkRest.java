package dev.millrace.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A Flink cluster's REST API, as {@code flink run} uses it: upload a jar ({@code POST
 * /jars/upload}), run it ({@code POST /jars/{id}/run}), follow and cancel jobs.
 */
public final class FlinkRest {
    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Uploads {@code jar}; the id the cluster gave it. */
    public String upload(Path jar) throws IOException, InterruptedException {
        String boundary = "millrace-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String filename = answer.path("filename").asText("");
        if (filename.isEmpty()) {
            throw new IOException("the cluster did not take the jar: " + answer);
        }
        return Path.of(filename).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's main with {@code args}; the job's id.
     *
     * @param restoreFrom a savepoint or retained checkpoint to start from, or null
     */
    public String run(String jarId, List<String> args, String restoreFrom)
            throws IOException, InterruptedException {
        ObjectNode request = Json.mapper().createObjectNode();
        request.putArray("programArgsList")
                .addAll(args.stream().map(Json.mapper().getNodeFactory()::textNode).toList());
        if (restoreFrom != null) {
            request.put("savepointPath", restoreFrom);
            request.put("allowNonRestoredState", false);
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
        String jobId = answer.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new IOException("the cluster did not run the jar: " + answer);
        }
        return jobId;
    }

    /** The job's state: RUNNING, FINISHED, FAILED, CANCELED... */
    public String state(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId)).GET())
                .path("state")
                .asText();
    }

    /** Completed checkpoints of the job so far. */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "/checkpoints"))
                        .GET())
                .path("counts")
                .path("completed")
                .asLong();
    }

    /** The ids of the jobs named {@code name} that are not finished. */
    public List<String> runningJobs(String name) throws IOException, InterruptedException {
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode job :
                send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/overview")).GET())
                        .path("jobs")) {
            String state = job.path("state").asText();
            if (job.path("name").asText().equals(name)
                    && !List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                ids.add(job.path("jid").asText());
            }
        }
        return ids;
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "cancelling "
                            + jobId
                            + ": HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
    }

    /**
     * Stops the job with a savepoint in {@code directory} (the cluster's default when null); the
     * savepoint's location.
     */
    public String stopWithSavepoint(String jobId, String directory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("drain", false);
        request.put("formatType", "CANONICAL");
        if (directory != null) {
            request.put("targetDirectory", directory);
        }
        String trigger =
                send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request.toString())))
                        .path("request-id")
                        .asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status =
                    send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    baseUrl
                                                            + "/jobs/"
                                                            + jobId
                                                            + "/savepoints/"
                                                            + trigger))
                                    .GET());
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException(
                            "the savepoint of "
                                    + jobId
                                    + " failed: "
                                    + operation
                                            .path("failure-cause")
                                            .path("stack-trace")
                                            .asText("")
                                            .lines()
                                            .findFirst()
                                            .orElse("(no cause given)"));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new IOException("no savepoint of " + jobId + " within " + timeout);
    }

    /** Waits until the job reaches {@code state}, or fails past the timeout. */
    public void await(String jobId, String state, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = state(jobId);
            if (last.equals(state)) {
                return;
            }
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(last)) {
                break;
            }
            Thread.sleep(200);
        }
        throw new IOException("job " + jobId + " is " + last + ", not " + state);
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        request.timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new IOException(
                    "HTTP " + response.statusCode() + " from " + baseUrl + ": " + response.body());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "HTTP "
                            + response.statusCode()
                            + " from "
                            + baseUrl
                            + ": "
                            + body.path("errors"));
        }
        return body;
    }
}
