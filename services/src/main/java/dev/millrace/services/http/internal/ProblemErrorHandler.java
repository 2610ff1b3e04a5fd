package dev.millrace.services.http.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors the server answers itself (404 no route, 408, 413, 431, 503 while stopping or over the
 * limits) as RFC 9457 problem+json, as the services answer theirs; never a stack trace.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            String message,
            Throwable cause,
            Callback callback)
            throws IOException {
        String title = HttpStatus.getMessage(code);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", code);
        // Without a message of its own, Jetty shows the exception: that stays in the server.
        if (message != null
                && !message.equals(title)
                && (cause == null || !message.equals(cause.toString()))) {
            body.put("detail", message);
        }
        body.put("instance", request.getHttpURI().getPath());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(Json.mapper().writeValueAsBytes(body)), callback);
    }
}
