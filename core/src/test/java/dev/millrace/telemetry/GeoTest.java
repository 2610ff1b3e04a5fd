package dev.millrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeoTest {

    @Test
    void oneDegreeOfLatitudeIsRadiusTimesPiOver180() {
        // 6371008.8 m * pi / 180
        assertThat(Geo.haversineMeters(52.0, -1.0, 53.0, -1.0))
                .isCloseTo(111_195.0802, within(1e-3));
    }

    @Test
    void oneDegreeOfLongitudeOnTheEquatorIsTheSameArc() {
        assertThat(Geo.haversineMeters(0, 10, 0, 11)).isCloseTo(111_195.0802, within(1e-3));
    }

    @Test
    void heathrowToCharlesDeGaulle() {
        // Haversine with R = 6371008.8 m, worked separately: 346 965.445 m.
        assertThat(Geo.haversineMeters(51.4700, -0.4543, 49.0097, 2.5479))
                .isCloseTo(346_965.445, within(1e-2));
    }

    @Test
    void samePointIsZeroAndAntipodesAreHalfACircumference() {
        assertThat(Geo.haversineMeters(12.5, 40.25, 12.5, 40.25)).isZero();
        assertThat(Geo.haversineMeters(0, 0, 0, 180))
                .isCloseTo(Math.PI * Geo.EARTH_RADIUS_M, within(1e-6));
    }

    @Test
    void milesPerHour() {
        assertThat(Geo.mph(1609.344, 3_600_000)).isCloseTo(1.0, within(1e-12));
        // 100 m/s = 360 km/h = 223.6936 mph
        assertThat(Geo.mph(100, 1000)).isCloseTo(223.693629, within(1e-6));
        assertThat(Geo.mph(11.119508, 1000)).isCloseTo(24.873631, within(1e-6));
    }
}
