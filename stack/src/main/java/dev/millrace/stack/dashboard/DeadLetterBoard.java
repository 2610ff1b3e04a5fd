package dev.millrace.stack.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.deadletter.DeadLetter;
import dev.millrace.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each pipeline's dead letters: how many its {@code <pipeline>.dlq} holds and the latest ones. */
final class DeadLetterBoard {
    static final int LATEST = 5;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Recent<ObjectNode>> latest = new LinkedHashMap<>();

    DeadLetterBoard(List<String> pipelines) {
        for (String pipeline : pipelines) {
            counts.put(pipeline, 0L);
            latest.put(pipeline, new Recent<>(LATEST));
        }
    }

    synchronized void add(String pipeline, DeadLetter letter, long recordTime) {
        counts.merge(pipeline, 1L, Long::sum);
        ObjectNode shown = Json.mapper().createObjectNode();
        shown.put("time", recordTime);
        shown.put("source", letter.sourceTopic());
        shown.put("reason", letter.reason());
        latest.computeIfAbsent(pipeline, p -> new Recent<>(LATEST)).add(shown);
    }

    synchronized long count(String pipeline) {
        return counts.getOrDefault(pipeline, 0L);
    }

    synchronized ArrayNode toJson() {
        ArrayNode rows = Json.mapper().createArrayNode();
        counts.forEach(
                (pipeline, count) -> {
                    ObjectNode row = rows.addObject();
                    row.put("pipeline", pipeline);
                    row.put("count", count);
                    ArrayNode letters = row.putArray("latest");
                    latest.get(pipeline).newestFirst().forEach(letters::add);
                });
        return rows;
    }
}
