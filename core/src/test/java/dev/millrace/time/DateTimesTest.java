package dev.millrace.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DateTimesTest {
    @Test
    void readsRfc3339WithAnyOffset() {
        assertThat(DateTimes.instant("2021-07-03T16:21:12.357246Z"))
                .contains(Instant.parse("2021-07-03T16:21:12.357246Z"));
        assertThat(DateTimes.instant("2021-07-03T18:21:12+02:00"))
                .contains(Instant.parse("2021-07-03T16:21:12Z"));
        assertThat(DateTimes.instant("2021-07-03 16:21:12z"))
                .contains(Instant.parse("2021-07-03T16:21:12Z"));
    }

    @Test
    void readsTheAwsSamplesFormAsUtc() {
        assertThat(DateTimes.instant("2021-07-03 16:21:12.357246"))
                .contains(Instant.parse("2021-07-03T16:21:12.357246Z"));
        assertThat(DateTimes.instant("2021-07-03 16:21:12.3"))
                .contains(Instant.parse("2021-07-03T16:21:12.300Z"));
        assertThat(DateTimes.instant("2021-07-03 16:21:12"))
                .contains(Instant.parse("2021-07-03T16:21:12Z"));
    }

    @Test
    void refusesWhatIsNeither() {
        assertThat(DateTimes.parse("2021-07-03T16:21:12")).as("no offset after a T").isEmpty();
        assertThat(DateTimes.parse("03/Jul/2021:16:21:12 +0000")).isEmpty();
        assertThat(DateTimes.parse("2021-07-03 25:21:12.1")).isEmpty();
        assertThat(DateTimes.parse("")).isEmpty();
        assertThat(DateTimes.parse(null)).isEmpty();
    }
}
