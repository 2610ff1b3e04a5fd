package dev.millrace.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
    record Fix(long timestamp, int carIndex, Location location) {}

    record Location(double lat, double lon) {}

    private final JsonSerde<Fix> serde = JsonSerde.of(Fix.class);

    @Test
    void roundTripsARecord() {
        Fix fix = new Fix(1_700_000_000_000L, 3, new Location(52.07, -1.01));

        byte[] bytes = serde.serializer().serialize("t", fix);

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"timestamp\":1700000000000,\"carIndex\":3,\"location\":{\"lat\":52.07,\"lon\":-1.01}}");
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(fix);
    }

    @Test
    void ignoresFieldsItDoesNotKnow() {
        byte[] bytes =
                "{\"timestamp\":1,\"carIndex\":2,\"extra\":true}".getBytes(StandardCharsets.UTF_8);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(new Fix(1, 2, null));
    }

    @Test
    void refusesInvalidJsonWithTheReason() {
        byte[] bytes = "{\"timestamp\": oops".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("not a valid Fix JSON value: Unrecognized token 'oops'");
    }

    @Test
    void keepsNullsAsTombstones() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }
}
