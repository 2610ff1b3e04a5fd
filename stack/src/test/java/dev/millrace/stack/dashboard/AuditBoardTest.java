package dev.millrace.stack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import org.junit.jupiter.api.Test;

class AuditBoardTest {
    static JsonNode finalState(String id, boolean s3) throws Exception {
        return Json.mapper()
                .readTree(
                        ("{\"messageID\":\"%s\",\"messageMetaData\":{\"messageType\":\"payment\","
                                        + "\"sourceSystemID\":\"ledger\"},"
                                        + "\"messageSecurityContext\":{\"sourceIp\":\"10.0.0.1\"},"
                                        + "\"storageContext\":{\"persistence\":{\"S3\":%s,"
                                        + "\"metaData\":true}}}")
                                .formatted(id, s3));
    }

    static JsonNode event(String id, String text) throws Exception {
        return Json.mapper()
                .readTree("{\"messageID\":\"%s\",\"event\":\"%s\"}".formatted(id, text));
    }

    @Test
    void countsFinalStatesWrittenSinceItStartedAndShowsEachMessagesLastStep() throws Exception {
        AuditBoard board = new AuditBoard();
        board.finalState(finalState("old", true), 1, false);
        board.event(event("a", "Data workflow started"), 2);
        board.event(event("b", "Data workflow started"), 3);
        board.finalState(finalState("a", true), 4, true);
        board.event(event("a", "Metadata persisted"), 5);
        board.finalState(finalState("c", false), 6, true);

        JsonNode audit = board.toJson();

        assertThat(audit.path("finalStates").asLong()).isEqualTo(2);
        assertThat(audit.path("archived").asLong()).isEqualTo(1);
        assertThat(audit.path("salvaged").asLong()).isEqualTo(1);
        JsonNode messages = audit.path("messages");
        assertThat(messages.findValuesAsText("messageID")).containsExactly("c", "a", "b", "old");
        assertThat(messages.findValuesAsText("state"))
                .containsExactly(
                        AuditBoard.SALVAGED,
                        AuditBoard.ARCHIVED,
                        "Data workflow started",
                        AuditBoard.ARCHIVED);
        assertThat(messages.get(1).path("messageType").asText()).isEqualTo("payment");
        assertThat(audit.toString()).doesNotContain("10.0.0.1");
    }

    @Test
    void keepsOnlyTheLatestMessages() throws Exception {
        AuditBoard board = new AuditBoard();
        for (int i = 0; i < AuditBoard.MESSAGES + 3; i++) {
            board.event(event("m" + i, "Data workflow started"), i);
        }

        JsonNode messages = board.toJson().path("messages");

        assertThat(messages.size()).isEqualTo(AuditBoard.MESSAGES);
        assertThat(messages.get(0).path("messageID").asText())
                .isEqualTo("m" + (AuditBoard.MESSAGES + 2));
    }
}
