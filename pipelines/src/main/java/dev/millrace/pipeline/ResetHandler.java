package dev.millrace.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.json.Json;
import dev.millrace.services.http.HttpApi;
import dev.millrace.streams.StreamsReset;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /pipelines/<pipeline>/reset}: recompute a pipeline from the start of its input, as
 * {@code millrace reset <pipeline>} asks the running stack to.
 */
public final class ResetHandler implements HttpHandler {
    private static final Pattern PATH = Pattern.compile("/pipelines/([a-z0-9-]+)/reset");

    private final StreamsApps apps;

    public ResetHandler(StreamsApps apps) {
        this.apps = apps;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
        if (!m.matches()) {
            problem(exchange, 404, "no such resource; try POST /pipelines/<pipeline>/reset");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            problem(exchange, 405, "use POST to reset a pipeline");
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        if (query != null && query.contains("engine=flink")) {
            problem(exchange, 409, "the stack runs the Streams topologies, not the Flink jobs");
            return;
        }
        String pipeline = m.group(1);
        if (!apps.pipelines().contains(pipeline)) {
            problem(exchange, 404, "no pipeline '" + pipeline + "'; running: " + apps.pipelines());
            return;
        }
        try {
            StreamsReset.Outcome outcome = apps.reset(pipeline);
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("pipeline", pipeline);
            ObjectNode rewound = body.putObject("rewoundTo");
            outcome.rewoundTo().forEach((tp, offset) -> rewound.put(tp.toString(), offset));
            body.putPOJO("deletedTopics", outcome.deletedTopics());
            HttpApi.send(exchange, 200, "application/json", body.toPrettyString());
        } catch (Exception e) {
            problem(exchange, 500, "reset failed: " + e.getMessage());
        }
    }

    private static void problem(HttpExchange exchange, int status, String detail)
            throws IOException {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("status", status);
        body.put("detail", detail);
        HttpApi.send(exchange, status, "application/problem+json", body.toPrettyString());
    }
}
