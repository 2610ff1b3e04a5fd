package dev.millrace.services.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class LimitedBodyTest {
    @Test
    void readsUpToItsLimitAndFailsPastIt() throws Exception {
        assertThat(new LimitedBody(new ByteArrayInputStream(new byte[100]), 100).readAllBytes())
                .hasSize(100);
        LimitedBody over = new LimitedBody(new ByteArrayInputStream(new byte[101]), 100);
        assertThat(over.readNBytes(60)).hasSize(60);
        assertThatThrownBy(over::readAllBytes)
                .isInstanceOf(LimitedBody.OverLimit.class)
                .hasMessage("the body is over 100 bytes");
        LimitedBody byByte = new LimitedBody(new ByteArrayInputStream(new byte[2]), 1);
        assertThat(byByte.read()).isZero();
        assertThatThrownBy(byByte::read).isInstanceOf(LimitedBody.OverLimit.class);
    }
}
