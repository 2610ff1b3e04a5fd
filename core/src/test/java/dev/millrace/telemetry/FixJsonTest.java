package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FixJsonTest {

    private static Fix parse(String json) {
        return FixJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheMatFormat() {
        assertThat(
                        parse(
                                "{\"timestamp\":1767261600000,\"carIndex\":2,"
                                        + "\"location\":{\"lat\":52.0786,\"long\":-1.0169}}"))
                .isEqualTo(new Fix(1767261600000L, 2, 52.0786, -1.0169));
    }

    @Test
    void writesWhatItReads() {
        Fix fix = new Fix(1767261600250L, 0, 52.07312, -0.00052);
        assertThat(FixJson.parse(FixJson.write(fix))).isEqualTo(fix);
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> parse("{\"timestamp\":1")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> parse("{\"carIndex\":1,\"location\":{\"lat\":1,\"long\":2}}"))
                .hasMessageContaining("timestamp must be an integer");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"timestamp\":1.5,\"carIndex\":1,\"location\":{\"lat\":1,\"long\":2}}"))
                .hasMessageContaining("timestamp must be an integer");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"timestamp\":1,\"carIndex\":-1,\"location\":{\"lat\":1,\"long\":2}}"))
                .hasMessageContaining("carIndex must be an integer >= 0, got -1");
        assertThatThrownBy(() -> parse("{\"timestamp\":1,\"carIndex\":1}"))
                .hasMessageContaining("location must be an object");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"timestamp\":1,\"carIndex\":1,\"location\":{\"lat\":\"52\",\"long\":2}}"))
                .hasMessageContaining("location.lat must be a number");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"timestamp\":1,\"carIndex\":1,\"location\":{\"lat\":1,\"long\":200}}"))
                .hasMessageContaining("location.long must be within [-180, 180], got 200");
        assertThatThrownBy(() -> FixJson.parse(null)).hasMessage("no payload");
    }

    /** A payload two readers could take for two different fixes is no fix. */
    @Test
    void refusesAFieldTwiceAndAnythingAfterTheFix() {
        String fix = "{\"timestamp\":1,\"carIndex\":1,\"location\":{\"lat\":1,\"long\":2}}";
        assertThat(parse(fix)).isEqualTo(new Fix(1, 1, 1, 2));
        assertThatThrownBy(
                        () ->
                                parse(
                                        fix.replace(
                                                "{\"timestamp\":1,",
                                                "{\"timestamp\":1,\"timestamp\":2,")))
                .hasMessageStartingWith("not JSON: Duplicate field 'timestamp'");
        assertThatThrownBy(() -> parse(fix.replace("\"lat\":1,", "\"lat\":1,\"lat\":3,")))
                .hasMessageStartingWith("not JSON: Duplicate field 'lat'");
        assertThatThrownBy(() -> parse(fix + " {}")).hasMessage("more than one JSON value");
        assertThatThrownBy(() -> parse(fix + "\n" + fix)).hasMessage("more than one JSON value");
        assertThat(parse(fix + " \n")).isEqualTo(new Fix(1, 1, 1, 2));
    }
}
