package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void noPortIsGivenTwiceNorInsideARun() {
        int run = Ports.freeRun(5);
        Set<Integer> given = new HashSet<>();
        for (int port = run; port < run + 5; port++) {
            given.add(port);
        }
        for (int i = 0; i < 500; i++) {
            int port = Ports.free();
            assertThat(given.add(port)).as("port %d given twice", port).isTrue();
        }
        int next = Ports.freeRun(5);
        for (int port = next; port < next + 5; port++) {
            assertThat(given.add(port)).as("port %d of a run given before", port).isTrue();
        }
    }
}
