package dev.millrace.stack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardTest {

    @Test
    void anAtMostGoalIsMetUpToItsValueAndNoFurther() {
        assertThat(Goal.TELEMETRY_COLD_P99.met(99.9)).isTrue();
        assertThat(Goal.TELEMETRY_COLD_P99.met(100)).isTrue();
        assertThat(Goal.TELEMETRY_COLD_P99.met(100.1)).isFalse();
    }

    @Test
    void anAtLeastGoalIsMetFromItsValueUp() {
        assertThat(Goal.TELEMETRY_RATIO.met(0.89)).isFalse();
        assertThat(Goal.TELEMETRY_RATIO.met(0.9)).isTrue();
        assertThat(Goal.WIS2_FLOOD.met(120_000)).isTrue();
    }

    @Test
    void aFigureNotMeasuredMeetsNoGoal() {
        assertThat(Goal.STARTUP.met(Double.NaN)).isFalse();
        assertThat(Goal.WIS2_PROCESSED.met(Double.NaN)).isFalse();
    }

    @Test
    void tableHasARowPerFigureWithItsGoalAndWhetherItIsMet() {
        Scorecard card = new Scorecard();
        card.put(Goal.STARTUP, 8.04);
        card.put(Goal.RESTART, 14.96);
        card.put(Goal.IDLE_RSS, 1234.4);
        card.put(Goal.WIS2_FLOOD, 123_456.7);

        List<String> lines = card.table().lines().toList();

        assertThat(lines).hasSize(2 + Goal.values().length);
        assertThat(cells(lines.get(0))).containsExactly("figure", "measured", "goal", "met");
        assertThat(cells(lines.get(2)))
                .containsExactly("start-up, new data dir", "8.0 s", "<= 10 s", "yes");
        assertThat(cells(lines.get(3)))
                .containsExactly("restart, same data dir", "15.0 s", "<= 10 s", "no");
        assertThat(cells(row(lines, Goal.IDLE_RSS)))
                .containsExactly(Goal.IDLE_RSS.label(), "1,234 MiB", "-", "-");
        assertThat(cells(row(lines, Goal.WIS2_FLOOD)))
                .containsExactly(
                        "wis2 dedupe flood", "123,457 copies/min", ">= 100,000 copies/min", "yes");
        assertThat(cells(row(lines, Goal.TELEMETRY_RATIO)))
                .containsExactly("telemetry topology / pass-through", "n/a", ">= 0.9", "no");
    }

    @Test
    void jsonHoldsEveryFigureWithItsGoalAndTheChecksThatFailed() throws Exception {
        Scorecard card = new Scorecard();
        card.put(Goal.STARTUP, 8.04);
        card.put(Goal.TELEMETRY_RATIO, 0.8765);
        card.put(Goal.LOADED_RSS, 2048);
        card.check(true, "never shown");
        card.check(false, "wis2 at 2,000 a minute: 3 of 4 published were cached");

        JsonNode json = Json.mapper().readTree(card.json(true));

        assertThat(json.get("bench").asText()).isEqualTo("all");
        assertThat(json.get("quick").asBoolean()).isTrue();
        assertThat(json.get("stackInThisJvm").asBoolean()).isTrue();
        JsonNode figures = json.get("figures");
        assertThat(figures.size()).isEqualTo(Goal.values().length);
        assertThat(figures.get("startupSeconds").toString())
                .isEqualTo(
                        "{\"unit\":\"s\",\"measured\":8.0,\"goal\":10.0,\"comparison\":\"<=\","
                                + "\"met\":true}");
        assertThat(figures.get("telemetryPassThroughRatio").toString())
                .isEqualTo(
                        "{\"unit\":\"\",\"measured\":0.877,\"goal\":0.9,\"comparison\":\">=\","
                                + "\"met\":false}");
        assertThat(figures.get("loadedRssMiB").toString())
                .isEqualTo(
                        "{\"unit\":\"MiB\",\"measured\":2048.0,\"goal\":null,"
                                + "\"comparison\":null,\"met\":null}");
        assertThat(figures.get("restartSeconds").get("measured").isNull()).isTrue();
        assertThat(figures.get("restartSeconds").get("met").asBoolean()).isFalse();
        long withGoal = Arrays.stream(Goal.values()).filter(Goal::hasGoal).count();
        assertThat(json.get("goalsMet").asInt()).isEqualTo(1);
        assertThat(json.get("goalsMissed").asLong()).isEqualTo(withGoal - 1);
        assertThat(json.get("failedChecks").toString())
                .isEqualTo("[\"wis2 at 2,000 a minute: 3 of 4 published were cached\"]");
        assertThat(card.failures())
                .containsExactly("wis2 at 2,000 a minute: 3 of 4 published were cached");
    }

    @Test
    void jsonKeysAreUnique() {
        assertThat(Arrays.stream(Goal.values()).map(Goal::key).distinct().count())
                .isEqualTo(Goal.values().length);
    }

    private static String row(List<String> lines, Goal goal) {
        return lines.get(2 + goal.ordinal());
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split("\\|")).map(String::trim).toList();
    }
}
