package dev.millrace.connect.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.connect.mqtt.MqttBroker;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SourceRecordMapperTest {
    private static final int MAX = 100_000;
    private static final MqttBroker BROKER =
            new MqttBroker(0, "tcp://mqtt-a:1883", List.of("tcp://mqtt-a:1883"));
    private static final long RECEIVED = 1_700_000_000_123L;
    private static final TopicMappings TOPICS =
            TopicMappings.parse(
                    "mqtt.topics", List.of("carCoordinates=telemetry.car-coordinates"), null);
    private static final JsonPointer CAR_INDEX = JsonPointer.compile("/carIndex");
    private static final String FIX =
            "{\"timestamp\": 1, \"carIndex\": 2, \"location\": {\"lat\": 52.0, \"long\": 4.3}}";

    @Test
    void recordCarriesRawPayloadTopicKeyAndProvenance() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(TOPICS, RecordKeyMode.MQTT_TOPIC, null, null, MAX);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", FIX)).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.car-coordinates");
        assertThat(record.kafkaPartition()).isNull();
        assertThat(record.keySchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(record.key()).isEqualTo("carCoordinates");
        assertThat(record.valueSchema()).isEqualTo(Schema.BYTES_SCHEMA);
        assertThat((byte[]) record.value()).isEqualTo(FIX.getBytes(StandardCharsets.UTF_8));
        assertThat(record.timestamp()).isEqualTo(RECEIVED);
        assertThat(record.sourcePartition()).isEqualTo(Map.of("broker", "tcp://mqtt-a:1883"));
        assertThat(record.sourceOffset()).isNull();
        assertThat(headers(record))
                .containsExactly(
                        Map.entry("mqtt.topic", "carCoordinates"),
                        Map.entry("mqtt.qos", "1"),
                        Map.entry("mqtt.received", "1700000000123"),
                        Map.entry("mqtt.broker", "tcp://mqtt-a:1883"));
    }

    @Test
    void keyFromThePayloadIsTheValueAtThePointer() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(
                        TOPICS, RecordKeyMode.PAYLOAD, CAR_INDEX, "telemetry.dlq", MAX);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", FIX)).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.car-coordinates");
        assertThat(record.key()).isEqualTo("2");
    }

    @Test
    void noKeyWhenConfiguredSo() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(TOPICS, RecordKeyMode.NONE, null, null, MAX);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", FIX)).orElseThrow();

        assertThat(record.key()).isNull();
        assertThat(record.topic()).isEqualTo("telemetry.car-coordinates");
    }

    @Test
    void payloadWithoutTheKeyGoesToTheDeadLetterTopicWithItsReason() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(
                        TOPICS, RecordKeyMode.PAYLOAD, CAR_INDEX, "telemetry.dlq", MAX);

        SourceRecord record =
                mapper.toRecord(delivery("carCoordinates", "{\"timestamp\": 1}")).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.dlq");
        assertThat(record.key()).isNull();
        assertThat(headers(record))
                .containsEntry("mqtt.topic", "carCoordinates")
                .containsEntry("mqtt.broker", "tcp://mqtt-a:1883")
                .containsEntry("mqtt.error", "payload has no value at /carIndex");
    }

    @Test
    void payloadThatIsNotJsonGoesToTheDeadLetterTopic() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(
                        TOPICS, RecordKeyMode.PAYLOAD, CAR_INDEX, "telemetry.dlq", MAX);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", "lat=52")).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.dlq");
        assertThat(headers(record).get("mqtt.error")).startsWith("payload is not JSON");
        assertThat((byte[]) record.value()).isEqualTo("lat=52".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutDeadLetterTopicAnUnfitPayloadKeepsItsTopicWithoutKey() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(TOPICS, RecordKeyMode.PAYLOAD, CAR_INDEX, null, MAX);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", "lat=52")).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.car-coordinates");
        assertThat(record.key()).isNull();
        assertThat(headers(record)).doesNotContainKey("mqtt.error");
    }

    @Test
    void notJsonIsFineWhenTheKeyIsTheTopic() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(
                        TOPICS, RecordKeyMode.MQTT_TOPIC, null, "telemetry.dlq", MAX);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", "lat=52")).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.car-coordinates");
        assertThat(record.key()).isEqualTo("carCoordinates");
    }

    @Test
    void messageOnAnUnmappedTopicGoesToTheDeadLetterTopic() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(
                        TOPICS, RecordKeyMode.MQTT_TOPIC, null, "telemetry.dlq", MAX);

        SourceRecord record = mapper.toRecord(delivery("oldTopic", FIX)).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.dlq");
        assertThat(headers(record))
                .containsEntry("mqtt.error", "no mqtt.topics entry matches MQTT topic oldTopic");
    }

    /** An oversize payload would fail the worker's producer and stop the task. */
    @Test
    void anOversizePayloadGoesToTheDeadLetterTopicWithItsFirstBytes() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(
                        TOPICS, RecordKeyMode.MQTT_TOPIC, null, "telemetry.dlq", MAX);
        String big = "x".repeat(MAX + 1);

        SourceRecord record = mapper.toRecord(delivery("carCoordinates", big)).orElseThrow();

        assertThat(record.topic()).isEqualTo("telemetry.dlq");
        assertThat((byte[]) record.value())
                .hasSize(SourceRecordMapper.OVERSIZE_PREVIEW)
                .isEqualTo(big.substring(0, SourceRecordMapper.OVERSIZE_PREVIEW).getBytes());
        assertThat(headers(record))
                .containsEntry(
                        "mqtt.error",
                        "payload of 100001 bytes is over mqtt.max.payload.bytes (100000); its first"
                                + " 65536 bytes are kept here");
        assertThat(
                        mapper.toRecord(delivery("carCoordinates", "x".repeat(MAX)))
                                .orElseThrow()
                                .topic())
                .isEqualTo("telemetry.car-coordinates");
        assertThat(
                        new SourceRecordMapper(TOPICS, RecordKeyMode.MQTT_TOPIC, null, null, MAX)
                                .toRecord(delivery("carCoordinates", big)))
                .isEmpty();
    }

    @Test
    void messageOnAnUnmappedTopicWithoutDeadLetterTopicHasNowhereToGo() {
        SourceRecordMapper mapper =
                new SourceRecordMapper(TOPICS, RecordKeyMode.MQTT_TOPIC, null, null, MAX);

        assertThat(mapper.toRecord(delivery("oldTopic", FIX))).isEmpty();
    }

    private static MqttDelivery delivery(String topic, String payload) {
        return new MqttDelivery(
                BROKER, topic, payload.getBytes(StandardCharsets.UTF_8), 1, RECEIVED, () -> {});
    }

    private static Map<String, String> headers(SourceRecord record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            assertThat(header.schema()).isEqualTo(Schema.STRING_SCHEMA);
            headers.put(header.key(), (String) header.value());
        }
        return headers;
    }
}
