package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CarStatusJsonTest {

    private static String written(CarStatus status) {
        return new String(CarStatusJson.write(status), StandardCharsets.US_ASCII);
    }

    @Test
    void writesTheMatFormat() {
        assertThat(written(CarStatus.speed(1767261600250L, 2, 187.42)))
                .isEqualTo(
                        "{\"timestamp\":1767261600250,\"carIndex\":2,\"type\":\"SPEED\",\"value\":187.42}");
        assertThat(written(CarStatus.position(1767261600250L, 2, 1)))
                .isEqualTo(
                        "{\"timestamp\":1767261600250,\"carIndex\":2,\"type\":\"POSITION\",\"value\":1}");
    }

    @Test
    void writesWhatTheSharedMapperWritesForSpeedsRoundedToThousandths() throws Exception {
        for (double speed :
                new double[] {
                    0.0, 0.001, 0.01, 0.5, 1.0, 44.739, 58.16, 99.999, 163.977, 447.387, 12345.678
                }) {
            CarStatus status = CarStatus.speed(5, 0, speed);
            assertThat(written(status)).isEqualTo(Json.mapper().writeValueAsString(status));
        }
    }

    @Test
    void readsBackAsTheSameStatus() throws Exception {
        CarStatus status = CarStatus.speed(1_000, 3, 172.14);
        assertThat(Json.mapper().readValue(CarStatusJson.write(status), CarStatus.class))
                .isEqualTo(status);
    }
}
