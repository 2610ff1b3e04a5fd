package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FinishLineTest {
    // An east-west line, about 14 m long, along the parallel 52°N.
    private final FinishLine line = new FinishLine(52.0, -1.0001, 52.0, -0.9999);

    @Test
    void crossingIsInterpolatedAlongThePath() {
        // From 51.9995 to 52.0002 the path reaches 52.0 after 0.0005 of its 0.0007 degrees.
        FinishLine.Crossing crossing = line.crossing(51.9995, -1.0, 52.0002, -1.0);
        assertThat(crossing).isNotNull();
        assertThat(crossing.fraction()).isCloseTo(5.0 / 7.0, within(1e-6));
    }

    @Test
    void theTwoWaysAcrossHaveOppositeDirections() {
        int north = line.crossing(51.9995, -1.0, 52.0002, -1.0).direction();
        int south = line.crossing(52.0002, -1.0, 51.9995, -1.0).direction();
        assertThat(north).isIn(1, -1);
        assertThat(south).isEqualTo(-north);
    }

    @Test
    void pathsThatMissTheLineDoNotCross() {
        assertThat(line.crossing(51.999, -1.0, 51.9995, -1.0)).as("stops short").isNull();
        assertThat(line.crossing(51.9995, -0.999, 52.0002, -0.999)).as("passes beside").isNull();
        assertThat(line.crossing(51.9995, -1.0002, 51.9995, -0.9998)).as("parallel").isNull();
    }

    @Test
    void aFixOnTheLineCountsForThePathEndingThereNotTheOneLeaving() {
        assertThat(line.crossing(51.9995, -1.0, 52.0, -1.0).fraction())
                .isCloseTo(1.0, within(1e-9));
        assertThat(line.crossing(52.0, -1.0, 52.0005, -1.0)).isNull();
    }

    @Test
    void parsesAndPrintsLat1Long1Lat2Long2() {
        FinishLine parsed = FinishLine.parse(" 52.0 , -1.0001,52.0,-0.9999");
        assertThat(parsed).isEqualTo(line);
        assertThat(FinishLine.parse(parsed.toString())).isEqualTo(line);
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> FinishLine.parse("52.0,-1.0,52.0"))
                .hasMessageContaining("lat1,long1,lat2,long2");
        assertThatThrownBy(() -> FinishLine.parse("52.0,-1.0,north,-0.9"))
                .hasMessageContaining("not a number: 'north'");
        assertThatThrownBy(() -> FinishLine.parse("92.0,-1.0,52.0,-0.9"))
                .hasMessageContaining("latitude out of range");
        assertThatThrownBy(() -> FinishLine.parse("52.0,-1.0,52.0,-1.0"))
                .hasMessageContaining("must differ");
    }
}
