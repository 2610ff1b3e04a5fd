package dev.millrace.services.http.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request line and headers have not all arrived within a deadline: for
 * the first request from the connection's opening (so it covers the TLS handshake too), for a later
 * one from its first byte. Jetty's idle timeout starts again with every byte, so without this a
 * client trickling its headers would hold its connection for as long as it likes.
 *
 * <p>Add it as a listener of the HTTP connection factory and as the outermost handler: a request
 * reaches it once its headers are in, and leaves it when answered. The first byte of the next
 * request on a kept-alive connection is noticed by a sweep of the connections' byte counts, so that
 * deadline may start up to one sweep late.
 */
public final class HeaderDeadline extends Handler.Wrapper implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

    private final long timeoutNanos;
    private final Duration sweepEvery;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    public HeaderDeadline(Duration timeout, Handler next) {
        super(next);
        this.timeoutNanos = timeout.toNanos();
        Duration tenth = timeout.dividedBy(10);
        this.sweepEvery =
                tenth.compareTo(Duration.ofSeconds(1)) > 0
                        ? Duration.ofSeconds(1)
                        : tenth.compareTo(Duration.ofMillis(10)) < 0
                                ? Duration.ofMillis(10)
                                : tenth;
    }

    @Override
    public void onOpened(Connection connection) {
        watched.put(connection, new Watch(connection));
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Watch watch = watched.get(request.getConnectionMetaData().getConnection());
        if (watch == null) {
            return super.handle(request, response, callback);
        }
        watch.headersRead();
        // Before the callback completes: the connection reads the next request after it.
        Callback answered = Callback.from(watch::answered, callback);
        if (super.handle(request, response, answered)) {
            return true;
        }
        watch.answered();
        return false;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        super.doStop();
    }

    private void scheduleSweep() {
        if (isRunning() || isStarting()) {
            sweep = getServer().getScheduler().schedule(this::sweep, sweepEvery);
        }
    }

    private void sweep() {
        long now = NanoTime.now();
        watched.values().forEach(watch -> watch.check(now));
        scheduleSweep();
    }

    /** One connection: waiting for headers until a deadline, in a request, or idle between. */
    private final class Watch {
        private static final long NONE = -1;

        private final Connection connection;

        /** When the headers must be in; meaningful while {@link #waiting}. */
        private long deadline;

        private boolean waiting = true;

        /** The bytes the connection had read when its last answer went out; NONE in a request. */
        private long idleAt = NONE;

        Watch(Connection connection) {
            this.connection = connection;
            this.deadline = NanoTime.now() + timeoutNanos;
        }

        synchronized void headersRead() {
            waiting = false;
            idleAt = NONE;
        }

        synchronized void answered() {
            waiting = false;
            idleAt = connection.getBytesIn();
        }

        void check(long now) {
            synchronized (this) {
                if (idleAt != NONE && connection.getBytesIn() > idleAt) {
                    idleAt = NONE;
                    waiting = true;
                    deadline = now + timeoutNanos;
                }
                if (!waiting || NanoTime.isBefore(now, deadline)) {
                    return;
                }
                waiting = false;
            }
            log.debug(
                    "closing {}: request headers not read within {} ms",
                    connection,
                    timeoutNanos / 1_000_000);
            connection.close();
        }
    }
}
