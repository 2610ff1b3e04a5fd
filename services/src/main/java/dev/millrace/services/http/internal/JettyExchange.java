package dev.millrace.services.http.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A JDK {@link HttpExchange} over a Jetty request and response, so that handlers written for the
 * JDK's server run on Jetty unchanged. The handler runs on a thread of its own and may block; the
 * request body it reads has already been read into memory by {@link BodyReader}.
 *
 * <p>As with the JDK's server: {@link #sendResponseHeaders} with a length over 0 sends that many
 * bytes, with 0 a body of any length, with -1 none; closing the response body, or the exchange,
 * ends the answer.
 */
final class JettyExchange extends HttpExchange {
    private final HttpContext context;
    private final Request request;
    private final Response response;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private InputStream in;
    private OutputStream out;
    private int status = -1;

    JettyExchange(HttpContext context, Request request, Response response, URI uri) {
        this.context = context;
        this.request = request;
        this.response = response;
        this.uri = uri;
        for (HttpField field : request.getHeaders()) {
            requestHeaders.add(field.getName(), field.getValue());
        }
        this.in = Content.Source.asInputStream(request);
        this.out = new Answer(Response.asBufferedOutputStream(request, response));
    }

    /** Whether the handler has sent its status. */
    boolean answered() {
        return status != -1;
    }

    /** Ends the answer, if the handler has sent its status and not ended it yet. */
    void complete() throws IOException {
        try {
            in.close();
        } catch (IOException e) {
            // What is left of the request body does not matter once the handler is done.
        }
        if (answered()) {
            out.close();
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public void close() {
        try {
            complete();
        } catch (IOException e) {
            // The client has gone: there is no one left to answer.
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (answered()) {
            throw new IOException("headers already sent");
        }
        status = code;
        response.setStatus(code);
        HttpFields.Mutable headers = response.getHeaders();
        responseHeaders.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        if (length > 0) {
            headers.put(HttpHeader.CONTENT_LENGTH, length);
        } else if (length < 0) {
            out.close();
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return inet(request.getConnectionMetaData().getRemoteSocketAddress());
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return inet(request.getConnectionMetaData().getLocalSocketAddress());
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            request.removeAttribute(name);
        } else {
            request.setAttribute(name, value);
        }
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    /** No authenticator runs: there is no principal. */
    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    /** The response body: ends the answer when closed, once however often it is closed. */
    private static final class Answer extends OutputStream {
        private final OutputStream body;
        private boolean closed;

        Answer(OutputStream body) {
            this.body = body;
        }

        @Override
        public void write(int b) throws IOException {
            body.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            body.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            body.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                body.close();
            }
        }
    }
}
