package dev.millrace.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {
    @Test
    void plainSocketsSendAtOnceHoweverMade() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                Socket connected =
                        NoDelaySockets.plain()
                                .createSocket(
                                        InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket unconnected = NoDelaySockets.plain().createSocket()) {
            assertThat(connected.getTcpNoDelay()).isTrue();
            assertThat(unconnected.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void tlsSocketsSendAtOnceIncludingALayeredOne() throws Exception {
        SSLSocketFactory tls = NoDelaySockets.tls(SSLContext.getDefault().getSocketFactory());
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                Socket unconnected = tls.createSocket();
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket layered =
                        tls.createSocket(plain, "localhost", server.getLocalPort(), true)) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(plain.getTcpNoDelay()).isTrue();
            assertThat(layered.getTcpNoDelay()).isTrue();
        }
        assertThat(tls.getSupportedCipherSuites())
                .containsExactly(
                        SSLContext.getDefault().getSocketFactory().getSupportedCipherSuites());
    }
}
