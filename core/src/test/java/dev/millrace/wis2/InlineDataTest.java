package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InlineDataTest {
    private static final byte[] DATA = "hello wis2".getBytes(StandardCharsets.UTF_8);

    @Test
    void decodesTheThreeEncodings() {
        assertThat(InlineData.decode(new Notification.InlineContent("utf-8", "hello wis2")))
                .isEqualTo(DATA);
        assertThat(InlineData.decode(new Notification.InlineContent("base64", "aGVsbG8gd2lzMg==")))
                .isEqualTo(DATA);
        // gzip of the text with mtime 0, base64-encoded, made separately
        assertThat(
                        InlineData.decode(
                                new Notification.InlineContent(
                                        "gzip", "H4sIAAAAAAACA8tIzcnJVyjPLDYCAMj6VLkKAAAA")))
                .isEqualTo(DATA);
    }

    @Test
    void namesWhatDoesNotDecode() {
        assertThatThrownBy(() -> InlineData.decode(new Notification.InlineContent("utf-16", "x")))
                .hasMessageContaining("must be utf-8, base64 or gzip, got 'utf-16'");
        assertThatThrownBy(() -> InlineData.decode(new Notification.InlineContent("base64", "***")))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(
                        () ->
                                InlineData.decode(
                                        new Notification.InlineContent("gzip", "aGVsbG8gd2lzMg==")))
                .hasMessageContaining("not gzip data");
    }
}
