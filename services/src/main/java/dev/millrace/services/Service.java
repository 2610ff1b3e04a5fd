package dev.millrace.services;

import com.sun.net.httpserver.HttpHandler;
import java.util.Map;

/**
 * A long-running part that is neither a Connect plugin nor a Streams application: started once,
 * asked for its health, serving its HTTP routes on the shared server, closed on stop.
 */
public interface Service extends AutoCloseable {

    /** Starts the service's threads; returns once they run. */
    void start() throws Exception;

    /** Null while the service does its work; otherwise why it does not. */
    String problem();

    /** The HTTP routes the service serves, by path prefix. */
    Map<String, HttpHandler> routes();

    @Override
    void close();
}
