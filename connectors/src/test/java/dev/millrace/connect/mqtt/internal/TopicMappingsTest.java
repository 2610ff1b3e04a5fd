package dev.millrace.connect.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.connect.internal.KeyedConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicMappingsTest {

    @Test
    void firstMatchingFilterWins() {
        TopicMappings mappings =
                TopicMappings.parse(
                        "mqtt.topics",
                        List.of(
                                "cars/+/position=positions",
                                "cars/#=cars",
                                "carCoordinates=coords"),
                        null);

        assertThat(mappings.kafkaTopicFor("cars/7/position")).contains("positions");
        assertThat(mappings.kafkaTopicFor("cars/7/speed")).contains("cars");
        assertThat(mappings.kafkaTopicFor("carCoordinates")).contains("coords");
        assertThat(mappings.kafkaTopicFor("carStatus")).isEmpty();
        assertThat(mappings.filters())
                .containsExactly("cars/+/position", "cars/#", "carCoordinates");
    }

    @Test
    void entryWithoutTargetGoesToTheDefaultTopic() {
        TopicMappings mappings =
                TopicMappings.parse("mqtt.topics", List.of("a", "b=other"), "telemetry.in");

        assertThat(mappings.kafkaTopicFor("a")).contains("telemetry.in");
        assertThat(mappings.kafkaTopicFor("b")).contains("other");
    }

    @Test
    void splitsAtTheLastEqualsSign() {
        TopicMappings mappings =
                TopicMappings.parse("mqtt.topics", List.of("x=y/z=telemetry.xyz"), null);

        assertThat(mappings.mappings())
                .containsExactly(new TopicMappings.Mapping("x=y/z", "telemetry.xyz"));
    }

    @Test
    void entryWithoutTargetAndNoDefaultNamesTheKey() {
        assertThatThrownBy(
                        () -> TopicMappings.parse("mqtt.topics", List.of("carCoordinates"), null))
                .isInstanceOf(KeyedConfigException.class)
                .hasMessageContaining("mqtt.topics")
                .hasMessageContaining("kafka.topic")
                .extracting(e -> ((KeyedConfigException) e).key())
                .isEqualTo("mqtt.topics");
    }
}
