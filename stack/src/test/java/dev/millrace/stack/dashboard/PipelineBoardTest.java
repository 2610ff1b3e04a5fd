package dev.millrace.stack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.services.http.Health;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PipelineBoardTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);

    @Test
    void ratesAreTheRecordsAddedOverTheSampleIntervalSummedOverPartitions() {
        PipelineBoard board = new PipelineBoard(3, Map.of(), Map.of());
        board.ends(Map.of(A0, 100L, A1, 50L), 10_000);
        board.ends(Map.of(A0, 130L, A1, 80L), 13_000);
        board.ends(Map.of(A0, 130L, A1, 80L), 16_000);

        assertThat(board.rate("a")).isEqualTo(0);
        JsonNode topic = board.toJson().path("topics").get(0);
        assertThat(topic.path("topic").asText()).isEqualTo("a");
        assertThat(topic.path("series").toString()).isEqualTo("[20.0,0.0]");
    }

    @Test
    void keepsTheLastSamplesOfEachGroupsLagAndNamesItsComponent() {
        PipelineBoard board =
                new PipelineBoard(
                        2, Map.of("telemetry", "Kafka Streams"), Map.of("g", "telemetry"));
        board.lags(Map.of("g", Map.of(A0, 3L, A1, 4L), "connect-sink", Map.of()));
        board.lags(Map.of("g", Map.of(A0, 1L, A1, 1L)));
        board.lags(Map.of("g", Map.of(A0, 0L, A1, 5L)));
        board.health(Map.of("kafka", new Health.Status(false, "no broker")), 1);

        JsonNode pipeline = board.toJson();

        JsonNode connect = pipeline.path("groups").get(0);
        JsonNode group = pipeline.path("groups").get(1);
        assertThat(connect.path("component").asText()).isEqualTo("connect");
        assertThat(group.path("component").asText()).isEqualTo("telemetry");
        assertThat(group.path("lag").asLong()).isEqualTo(5);
        assertThat(group.path("series").toString()).isEqualTo("[2.0,5.0]");
        assertThat(pipeline.path("health").get(0).path("reason").asText()).isEqualTo("no broker");
        assertThat(pipeline.path("engines").get(0).path("engine").asText())
                .isEqualTo("Kafka Streams");
    }
}
