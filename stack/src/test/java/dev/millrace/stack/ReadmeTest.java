package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The root README documents every key and the test command CI runs. */
class ReadmeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmeTableIsWhatConfigPrints() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme)
                .as("README's configuration table; regenerate it with ./millrace config")
                .contains(LocalStackSettings.ALL_KEYS.markdownTable());
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        String testCommand = "mvn -B verify";
        assertThat(readme).contains("\n" + testCommand + "\n");
        assertThat(ci).contains(testCommand);
    }
}
