package dev.millrace.stack.flink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.json.Json;
import dev.millrace.services.http.HttpApi;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /pipelines/<pipeline>/reset} when the stack runs the Flink jobs: the job is cancelled
 * and submitted again with empty state, reading its inputs from the start.
 */
public final class FlinkResetHandler implements HttpHandler {
    private static final Pattern PATH = Pattern.compile("/pipelines/([a-z0-9-]+)/reset");

    private final FlinkEngine flink;

    public FlinkResetHandler(FlinkEngine flink) {
        this.flink = flink;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
        if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
            problem(exchange, 404, "use POST /pipelines/<pipeline>/reset");
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        if (query != null && query.contains("engine=streams")) {
            problem(
                    exchange,
                    409,
                    "the stack runs the Flink jobs (local.engine=flink), not Streams");
            return;
        }
        String pipeline = m.group(1);
        if (!flink.jobs().containsKey(pipeline)) {
            problem(
                    exchange,
                    404,
                    "no pipeline '" + pipeline + "'; running: " + flink.jobs().keySet());
            return;
        }
        try {
            String jobId = flink.reset(pipeline);
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("pipeline", pipeline);
            body.put("engine", "flink");
            body.put("job", jobId);
            body.put("restoredFrom", "nothing: empty state, inputs from their earliest offsets");
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
