package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import dev.millrace.telemetry.simulation.DemoTrack;
import dev.millrace.telemetry.simulation.RaceSimulation;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompactFixTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The fix a general JSON reading of the payload gives. */
    private static Fix read(byte[] payload) throws Exception {
        JsonNode n = Json.mapper().readTree(payload);
        return new Fix(
                n.get("timestamp").asLong(),
                n.get("carIndex").asInt(),
                n.get("location").get("lat").asDouble(),
                n.get("location").get("long").asDouble());
    }

    @Test
    void readsWhatTheSimulatorWritesExactlyAsAGeneralParserDoes() throws Exception {
        RaceSimulation race = new RaceSimulation(DemoTrack.TRACK, 6, 10, 1_767_261_600_000L, 9);
        for (int n = 0; n < 20_000; n++) {
            byte[] payload = FixJson.write(race.next());
            assertThat(CompactFix.parse(payload)).isNotNull().isEqualTo(read(payload));
        }
    }

    @Test
    void convertsEveryShortDecimalAsDoubleParseDoubleDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 100_000; n++) {
            int decimals = random.nextInt(1, 12);
            String lat = String.format("%." + decimals + "f", random.nextDouble(-90, 90));
            String lon = String.format("%." + decimals + "f", random.nextDouble(-180, 180));
            byte[] payload =
                    bytes(
                            "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":"
                                    + lat
                                    + ",\"long\":"
                                    + lon
                                    + "}}");
            Fix fix = CompactFix.parse(payload);
            if (fix != null) {
                assertThat(fix.lat()).isEqualTo(Double.parseDouble(lat));
                assertThat(fix.lon()).isEqualTo(Double.parseDouble(lon));
            }
        }
    }

    @Test
    void leavesEveryOtherLayoutToTheGeneralParser() {
        for (String other :
                new String[] {
                    "{ \"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":1.5,\"long\":2.5}}",
                    "{\"carIndex\":0,\"timestamp\":1,\"location\":{\"lat\":1.5,\"long\":2.5}}",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":1.5e1,\"long\":2.5}}",
                    "{\"timestamp\":01,\"carIndex\":0,\"location\":{\"lat\":1.5,\"long\":2.5}}",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":91.5,\"long\":2.5}}",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":-0.0,\"long\":2.5}}",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":1.,\"long\":2.5}}",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":1.5,\"long\":2.5}} ",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":1.5,\"long\":2.5},\"x\":1}",
                    "{\"timestamp\":1,\"carIndex\":-1,\"location\":{\"lat\":1.5,\"long\":2.5}}",
                    "{\"timestamp\":1,\"carIndex\":0,\"location\":{\"lat\":1.1234567890123456,\"long\":2.5}}",
                }) {
            assertThat(CompactFix.parse(bytes(other))).as(other).isNull();
        }
    }

    @Test
    void theGeneralParserStillReadsOtherLayouts() {
        assertThat(
                        FixJson.parse(
                                bytes(
                                        "{\"carIndex\": 3, \"location\": {\"long\": 2.5, \"lat\":"
                                                + " 15e-1}, \"timestamp\": 7, \"extra\": [1]}")))
                .isEqualTo(new Fix(7, 3, 1.5, 2.5));
    }
}
