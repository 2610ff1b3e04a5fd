package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailCommandTest {
    @Test
    void printsJsonCompactedOnOneLine() {
        byte[] pretty = "{\n  \"a\" : 1,\n  \"b\" : [ 2 ]\n}".getBytes(StandardCharsets.UTF_8);

        assertThat(TailCommand.oneLine(pretty)).isEqualTo("{\"a\":1,\"b\":[2]}");
    }

    @Test
    void quotesAValueThatIsNotJson() {
        byte[] text = "not \"json\"\nat all".getBytes(StandardCharsets.UTF_8);

        assertThat(TailCommand.oneLine(text)).isEqualTo("\"not \\\"json\\\"\\nat all\"");
    }

    @Test
    void quotesTextThatOnlyStartsLikeJson() {
        assertThat(TailCommand.oneLine("42 cars".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("\"42 cars\"");
    }

    @Test
    void printsATombstoneAsNull() {
        assertThat(TailCommand.oneLine(null)).isEqualTo("null");
    }
}
