package dev.millrace.connect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPointersTest {
    private static final JsonPointer CAR_INDEX = JsonPointer.compile("/carIndex");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"carIndex\": 3}|3",
                "{\"carIndex\": \"A7\"}|A7",
                "{\"carIndex\": 1.50}|1.5",
                "{\"carIndex\": true}|true",
                "{\"carIndex\": 12345678901234567890}|12345678901234567890"
            })
    void rendersTheValueAsText(String json, String expected) throws Exception {
        assertThat(JsonPointers.textAt(bytes(json), CAR_INDEX)).isEqualTo(expected);
    }

    @Test
    void followsNestedPointers() throws Exception {
        String json = "{\"location\": {\"lat\": 52.07}}";

        assertThat(JsonPointers.textAt(bytes(json), JsonPointer.compile("/location/lat")))
                .isEqualTo("52.07");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"timestamp\": 1}|payload has no value at /carIndex",
                "{\"carIndex\": null}|payload has no value at /carIndex",
                "{\"carIndex\": {\"a\": 1}}|value at /carIndex is object",
                "not json|payload is not JSON",
                "{\"carIndex\": 3} trailing|payload is not JSON",
                "''|payload is empty"
            })
    void explainsInOneLineWhyThereIsNoValue(String json, String reason) {
        assertThatThrownBy(() -> JsonPointers.textAt(bytes(json), CAR_INDEX))
                .isInstanceOf(UnusablePayloadException.class)
                .hasMessageStartingWith(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
