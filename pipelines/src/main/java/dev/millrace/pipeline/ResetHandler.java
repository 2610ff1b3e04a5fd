package dev.millrace.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.millrace.json.Json;
import dev.millrace.services.http.HttpApi;
import dev.millrace.streams.StreamsReset;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /pipelines/<pipeline>/reset}: recompute a pipeline from the start of its input, as
 * {@code millrace reset <pipeline> [--engine E]} asks the running stack to, on whichever engine
 * runs the pipelines there.
 */
public final class ResetHandler implements HttpHandler {
    private static final Pattern PATH = Pattern.compile("/pipelines/([a-z0-9-]+)/reset");

    /** The engine that runs the stack's pipelines, as the handler resets them. */
    public interface Engine {
        /** Its name in {@code ?engine=}: streams or flink. */
        String name();

        /** What the stack runs, as a refusal of the other engine says it. */
        String runs();

        /** The pipelines it runs now. */
        Set<String> pipelines();

        /** Recomputes a pipeline; adds what it did to {@code answer}. */
        void reset(String pipeline, ObjectNode answer) throws Exception;
    }

    private final Engine engine;

    public ResetHandler(Engine engine) {
        this.engine = engine;
    }

    /**
     * The Streams applications as the engine: a reset rewinds inputs and deletes internal topics.
     */
    public static Engine streams(StreamsApps apps) {
        return new Engine() {
            @Override
            public String name() {
                return "streams";
            }

            @Override
            public String runs() {
                return "the Streams topologies";
            }

            @Override
            public Set<String> pipelines() {
                return apps.pipelines();
            }

            @Override
            public void reset(String pipeline, ObjectNode answer) throws Exception {
                StreamsReset.Outcome outcome = apps.reset(pipeline);
                ObjectNode rewound = answer.putObject("rewoundTo");
                outcome.rewoundTo().forEach((tp, offset) -> rewound.put(tp.toString(), offset));
                answer.putPOJO("deletedTopics", outcome.deletedTopics());
            }
        };
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
        String asked =
                query == null || !query.contains("engine=")
                        ? engine.name()
                        : query.replaceFirst(".*engine=([a-z]*).*", "$1");
        if (!asked.equals(engine.name())) {
            problem(
                    exchange,
                    409,
                    "the stack runs " + engine.runs() + ", not the " + asked + " engine");
            return;
        }
        String pipeline = m.group(1);
        if (!engine.pipelines().contains(pipeline)) {
            problem(
                    exchange,
                    404,
                    "no pipeline '" + pipeline + "'; running: " + engine.pipelines());
            return;
        }
        try {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("pipeline", pipeline);
            engine.reset(pipeline, body);
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
