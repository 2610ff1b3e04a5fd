package dev.millrace.wis2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    private static final byte[] DATA = "hello wis2".getBytes(StandardCharsets.UTF_8);

    private static boolean matches(String method, String value) {
        return Checksums.matches(DATA, new Notification.Integrity(method, value));
    }

    @Test
    void verifiesEveryWnmMethodAgainstDigestsWorkedOutSeparately() {
        assertThat(matches("sha256", "jr/aJcURoz1VcAO12Csq8GAz6yWJW4De3r5FHfpffww=")).isTrue();
        assertThat(
                        matches(
                                "sha384",
                                "Wp3JsYG5Yh1Pkzqdg0+SGT4FjlCLj5mUN/+DL6JlW3TENA5alx9kHdbDQ4Bk32k9"))
                .isTrue();
        assertThat(
                        matches(
                                "sha512",
                                "fVGixqmJ3NKRIjceyKb0W5c0vzO1j44im8zxhYHqpiIevChViuUqTJb28mZLCKxOm7hOGvp6Lz5HPyDpwaj/Ew=="))
                .isTrue();
        assertThat(matches("sha3-256", "O/593v1m9CmDGfH8EQm15/AuYy3LbEcb2rKgFTr4VSY=")).isTrue();
        assertThat(
                        matches(
                                "sha3-384",
                                "W8k6y+AGrM5uwCOxfQPcSeJI4rPBhIGrA9qXzsEoNyBoDIhzQJdOYy+83HkUTda3"))
                .isTrue();
        assertThat(
                        matches(
                                "sha3-512",
                                "QO5dMhC9veyOKlxNwaFgkXJxonbWbVmO638LfrdicnihnN9kRpsPqlMeqqAO3dR48nHS0BkhBUp/D5v+lQCfDw=="))
                .isTrue();
    }

    @Test
    void acceptsHexAndRefusesAnythingElse() {
        String hex = HexFormat.of().formatHex(Checksums.digest("sha256", DATA));
        assertThat(matches("sha256", hex)).isTrue();
        assertThat(matches("sha256", hex.toUpperCase())).isTrue();
        assertThat(matches("sha256", "O/593v1m9CmDGfH8EQm15/AuYy3LbEcb2rKgFTr4VSY="))
                .as("another method's digest")
                .isFalse();
        assertThat(matches("sha256", "not base64 at all!")).isFalse();
        assertThat(matches("sha256", Base64.getEncoder().encodeToString(new byte[32]))).isFalse();
    }

    @Test
    void refusesMethodsTheStandardDoesNotList() {
        assertThatThrownBy(() -> matches("md5", "x"))
                .hasMessageContaining("unknown integrity method 'md5'");
    }
}
