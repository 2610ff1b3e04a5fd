package dev.millrace.connect.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.connect.internal.UnusablePayloadException;
import dev.millrace.connect.mqtt.internal.SinkRecordMapper.Publication;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class SinkRecordMapperTest {
    private static final String STATUS =
            "{\"timestamp\": 1, \"carIndex\": 2, \"type\": \"SPEED\", \"value\": 88.5}";

    @Test
    void fixedTopicPublishesTheValueBytesAsTheyAre() throws Exception {
        byte[] value = bytes(STATUS);

        Publication publication =
                SinkRecordMapper.fixedTopic("carStatus").toPublication(record(value));

        assertThat(publication.topic()).isEqualTo("carStatus");
        assertThat(publication.payload()).isSameAs(value);
    }

    @Test
    void aStringValueIsPublishedAsUtf8() throws Exception {
        Publication publication =
                SinkRecordMapper.fixedTopic("events").toPublication(record("Ünlü lap"));

        assertThat(publication.payload()).isEqualTo(bytes("Ünlü lap"));
    }

    @Test
    void aByteBufferValueIsPublishedWhole() throws Exception {
        Publication publication =
                SinkRecordMapper.fixedTopic("events")
                        .toPublication(record(ByteBuffer.wrap(bytes("abc"))));

        assertThat(publication.payload()).isEqualTo(bytes("abc"));
    }

    @Test
    void topicFromAHeader() throws Exception {
        SinkRecord record = record(bytes(STATUS));
        record.headers().addString("mqtt-topic", "cars/2/status");

        Publication publication =
                SinkRecordMapper.topicFromHeader("mqtt-topic").toPublication(record);

        assertThat(publication.topic()).isEqualTo("cars/2/status");
    }

    @Test
    void topicFromABinaryHeader() throws Exception {
        SinkRecord record = record(bytes(STATUS));
        record.headers().addBytes("mqtt-topic", bytes("cars/2/status"));

        assertThat(SinkRecordMapper.topicFromHeader("mqtt-topic").toPublication(record).topic())
                .isEqualTo("cars/2/status");
    }

    @Test
    void topicFromThePayload() throws Exception {
        SinkRecord record = record(bytes("{\"topic\": \"events\", \"text\": \"Car 2 leads\"}"));

        Publication publication =
                SinkRecordMapper.topicFromPointer(JsonPointer.compile("/topic"))
                        .toPublication(record);

        assertThat(publication.topic()).isEqualTo("events");
    }

    @Test
    void aMissingHeaderIsErrant() {
        assertThatThrownBy(
                        () ->
                                SinkRecordMapper.topicFromHeader("mqtt-topic")
                                        .toPublication(record(bytes(STATUS))))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessage("record has no header mqtt-topic");
    }

    @Test
    void aWildcardTopicIsErrant() {
        SinkRecord record = record(bytes(STATUS));
        record.headers().addString("mqtt-topic", "cars/#");

        assertThatThrownBy(
                        () -> SinkRecordMapper.topicFromHeader("mqtt-topic").toPublication(record))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessage("'cars/#' from header mqtt-topic is not an MQTT topic to publish to");
    }

    @Test
    void aPayloadWithoutTheTopicIsErrant() {
        assertThatThrownBy(
                        () ->
                                SinkRecordMapper.topicFromPointer(JsonPointer.compile("/topic"))
                                        .toPublication(record(bytes(STATUS))))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessage("payload has no value at /topic");
    }

    @Test
    void aPayloadThatIsNotJsonIsErrantForAPointer() {
        assertThatThrownBy(
                        () ->
                                SinkRecordMapper.topicFromPointer(JsonPointer.compile("/topic"))
                                        .toPublication(record(bytes("Car 2 leads"))))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessageStartingWith("payload is not JSON");
    }

    @Test
    void aNullValueIsErrant() {
        assertThatThrownBy(() -> SinkRecordMapper.fixedTopic("events").toPublication(record(null)))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessage("record has a null value");
    }

    @Test
    void aStructuredValueIsErrant() {
        assertThatThrownBy(() -> SinkRecordMapper.fixedTopic("events").toPublication(record(42)))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessageStartingWith("value of type Integer is not bytes or a string");
    }

    private static SinkRecord record(Object value) {
        return new SinkRecord(
                "telemetry.car-status",
                0,
                Schema.OPTIONAL_STRING_SCHEMA,
                "2",
                null,
                value,
                42,
                1L,
                TimestampType.CREATE_TIME,
                new ConnectHeaders());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
