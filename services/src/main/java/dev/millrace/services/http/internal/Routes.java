package dev.millrace.services.http.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.services.http.internal.BodyReader.BodyTooLargeException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services' routes, picked as the JDK's server picks its contexts: the longest path prefix of
 * the request's path. A route's {@link HttpHandler} runs over a {@link JettyExchange} on the
 * calling thread, and may block; routes may be added while the server runs.
 */
public final class Routes extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    /** Serves {@code path} and every path under it (by prefix) with {@code handler}. */
    public void add(String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /: " + path);
        }
        if (routes.putIfAbsent(path, new Route(path, handler)) != null) {
            throw new IllegalArgumentException("a route for " + path + " exists already");
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        URI uri;
        try {
            uri = new URI(request.getHttpURI().getPathQuery());
        } catch (URISyntaxException e) {
            Response.writeError(
                    request, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
            return true;
        }
        Route route = find(uri.getPath());
        if (route == null) {
            return false;
        }
        JettyExchange exchange = new JettyExchange(route, request, response, uri);
        try {
            route.getHandler().handle(exchange);
            exchange.complete();
        } catch (Throwable x) {
            failed(request, response, callback, x);
            return true;
        }
        if (!exchange.answered()) {
            log.warn("{} {}: the handler sent no answer", request.getMethod(), uri.getPath());
            Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500);
            return true;
        }
        callback.succeeded();
        return true;
    }

    private Route find(String path) {
        Route found = null;
        if (path != null) {
            for (Route route : routes.values()) {
                if (path.startsWith(route.getPath())
                        && (found == null || route.getPath().length() > found.getPath().length())) {
                    found = route;
                }
            }
        }
        return found;
    }

    private static void failed(Request request, Response response, Callback callback, Throwable x) {
        if (response.isCommitted()) {
            // Part of the answer is out: all that is left is to cut the connection.
            log.debug(
                    "{} {} failed after answering: {}",
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    x.toString());
            callback.failed(x);
            return;
        }
        for (Throwable cause = x; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException) {
                Response.writeError(
                        request,
                        response,
                        callback,
                        HttpStatus.PAYLOAD_TOO_LARGE_413,
                        cause.getMessage());
                return;
            }
        }
        log.warn(
                "{} {} failed: {}",
                request.getMethod(),
                request.getHttpURI().getPath(),
                x.toString());
        Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500);
    }

    /** A route, as the JDK's API shows it to its handler: no filters, no authenticator. */
    private static final class Route extends HttpContext {
        private final String path;
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        private volatile HttpHandler handler;

        Route(String path, HttpHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        @Override
        public HttpHandler getHandler() {
            return handler;
        }

        @Override
        public void setHandler(HttpHandler handler) {
            this.handler = handler;
        }

        @Override
        public String getPath() {
            return path;
        }

        /** No JDK server serves the route. */
        @Override
        public HttpServer getServer() {
            return null;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public List<Filter> getFilters() {
            return List.of();
        }

        @Override
        public Authenticator setAuthenticator(Authenticator auth) {
            throw new UnsupportedOperationException("the routes take no authenticator");
        }

        @Override
        public Authenticator getAuthenticator() {
            return null;
        }
    }
}
