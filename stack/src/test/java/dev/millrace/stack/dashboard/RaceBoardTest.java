package dev.millrace.stack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import dev.millrace.telemetry.Fix;
import org.junit.jupiter.api.Test;

class RaceBoardTest {
    /** Degrees of latitude in one metre, near enough at these distances. */
    private static final double DEG_PER_M = 1 / 111_195.0;

    static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void tracesTheTrackFromOneCarUntilItIsBackAtItsStart() {
        RaceBoard board = new RaceBoard();
        // A square of 400 m sides driven by car 0, a point every 5 m, then on past the start.
        long t = 0;
        double[][] corners = {{0, 0}, {400, 0}, {400, 400}, {0, 400}, {0, 0}, {100, 0}};
        for (int side = 0; side + 1 < corners.length; side++) {
            for (int step = 0; step < 80; step++) {
                double f = step / 80.0;
                double north = corners[side][0] + f * (corners[side + 1][0] - corners[side][0]);
                double east = corners[side][1] + f * (corners[side + 1][1] - corners[side][1]);
                board.fix(new Fix(t += 100, 0, 52 + north * DEG_PER_M, east * DEG_PER_M * 1.6));
                board.fix(new Fix(t, 1, 52, 0));
            }
        }

        JsonNode race = board.toJson();

        assertThat(race.path("trackClosed").asBoolean()).isTrue();
        // 1 600 m of driving in steps of at least 15 m, and nothing after the loop closed.
        assertThat(race.path("track").size()).isBetween(90, 108);
        assertThat(race.path("cars").size()).isEqualTo(2);
    }

    @Test
    void ranksCarsByPositionAndKeepsTheirLapsAndFastestLap() throws Exception {
        RaceBoard board = new RaceBoard();
        board.status(json("{\"timestamp\":1,\"carIndex\":3,\"type\":\"POSITION\",\"value\":2}"));
        board.status(json("{\"timestamp\":1,\"carIndex\":5,\"type\":\"POSITION\",\"value\":1}"));
        board.status(json("{\"timestamp\":2,\"carIndex\":3,\"type\":\"SPEED\",\"value\":187.5}"));
        board.event(
                json(
                        "{\"timestamp\":3,\"text\":\"Car 3 completed lap 1 in 1:30.000\","
                            + "\"carIndex\":3,\"type\":\"LAP\",\"lap\":1,\"lapTimeMs\":90000}"));
        board.event(
                json(
                        "{\"timestamp\":4,\"text\":\"Car 3 completed lap 2 in 1:35.000\","
                            + "\"carIndex\":3,\"type\":\"LAP\",\"lap\":2,\"lapTimeMs\":95000}"));
        board.event(json("{\"timestamp\":5,\"text\":\"Car 5 races ahead of Car 3.\"}"));

        JsonNode race = board.toJson();

        JsonNode leader = race.path("cars").get(0);
        JsonNode second = race.path("cars").get(1);
        assertThat(leader.path("car").asInt()).isEqualTo(5);
        assertThat(leader.path("speedMph").isNull()).isTrue();
        assertThat(second.path("car").asInt()).isEqualTo(3);
        assertThat(second.path("speedMph").asDouble()).isEqualTo(187.5);
        assertThat(second.path("laps").asInt()).isEqualTo(2);
        assertThat(second.path("lastLapMs").asLong()).isEqualTo(95000);
        assertThat(second.path("fastestLapMs").asLong()).isEqualTo(90000);
        assertThat(race.path("events").findValuesAsText("type"))
                .containsExactly("OVERTAKE", "LAP", "LAP");
    }

    @Test
    void keepsOnlyTheLatestEvents() throws Exception {
        RaceBoard board = new RaceBoard();
        for (int i = 0; i < RaceBoard.EVENTS + 5; i++) {
            board.event(json("{\"timestamp\":" + i + ",\"text\":\"event " + i + "\"}"));
        }

        JsonNode events = board.toJson().path("events");

        assertThat(events.size()).isEqualTo(RaceBoard.EVENTS);
        assertThat(events.get(0).path("text").asText())
                .isEqualTo("event " + (RaceBoard.EVENTS + 4));
    }
}
