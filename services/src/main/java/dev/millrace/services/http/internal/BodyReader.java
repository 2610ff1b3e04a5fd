package dev.millrace.services.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body into memory before the next handler runs, as the bytes arrive and without
 * holding a thread while they do, so that a blocking handler never waits on a slow client.
 *
 * <p>The body must arrive within a deadline from the end of the headers; past it (or past the idle
 * timeout) the answer is 408 and the connection closes. At most {@code maxBody} bytes are kept: a
 * handler that reads past them reads a {@link BodyTooLargeException}, and once it has answered,
 * what the client still sends is read and dropped (up to as much again, within the same deadline)
 * so that the client reads the answer rather than a reset connection.
 */
public final class BodyReader extends Handler.Wrapper {
    private final Duration timeout;
    private final int maxBody;

    public BodyReader(Duration timeout, int maxBody, Handler next) {
        super(next);
        this.timeout = timeout;
        this.maxBody = maxBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        new Reading(request, response, callback).run();
        return true;
    }

    /** What a handler reads past the body the server keeps. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(int maxBody) {
            super("the request body is over " + maxBody + " bytes");
        }
    }

    private enum Phase {
        READING,
        EXPIRED,
        HANDLING,
        DRAINING
    }

    /**
     * One request's body, read by a loop that runs again each time more content is available. The
     * runs never overlap; the timer, the one other thread, only moves the phase and fails the
     * request, which wakes the loop.
     */
    private final class Reading implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long deadline;
        private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.READING);
        private Scheduler.Task timer;
        private byte[] body = new byte[0];
        private int size;
        private boolean over;
        private long dropped;

        Reading(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.deadline = NanoTime.now() + timeout.toNanos();
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (timer == null && !startTimer()) {
                        return;
                    }
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed(chunk.getFailure());
                    return;
                }
                boolean draining = phase.get() == Phase.DRAINING;
                ByteBuffer bytes = chunk.getByteBuffer();
                if (draining) {
                    dropped += bytes.remaining();
                } else {
                    keep(bytes);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (draining && (last || dropped > maxBody)) {
                    stopTimer();
                    callback.succeeded();
                    return;
                }
                if (!draining && (last || over)) {
                    stopTimer();
                    if (phase.compareAndSet(Phase.READING, Phase.HANDLING)) {
                        proceed();
                    } else {
                        timedOut();
                    }
                    return;
                }
            }
        }

        /** Arms the deadline; false when it has already passed, and the request is answered. */
        private boolean startTimer() {
            long left = NanoTime.until(deadline);
            if (left <= 0) {
                failed(new TimeoutException());
                return false;
            }
            timer =
                    request.getComponents()
                            .getScheduler()
                            .schedule(this::expire, Duration.ofNanos(left));
            return true;
        }

        private void stopTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        /** On the timer: wakes the loop, if it still waits for the body, with a failure. */
        private void expire() {
            if (phase.compareAndSet(Phase.READING, Phase.EXPIRED)
                    || phase.get() == Phase.DRAINING) {
                request.fail(new TimeoutException("request body not read within " + timeout));
            }
        }

        private void keep(ByteBuffer bytes) {
            int n = bytes.remaining();
            if (n > maxBody - size) {
                over = true;
                n = maxBody - size;
            }
            if (size + n > body.length) {
                body = Arrays.copyOf(body, Math.min(maxBody, Math.max(size + n, 2 * body.length)));
            }
            bytes.get(body, size, n);
            size += n;
        }

        private void failed(Throwable failure) {
            stopTimer();
            if (phase.get() == Phase.DRAINING) {
                // The answer is out; the connection closes with what the client still sends.
                callback.succeeded();
            } else if (phase.get() == Phase.EXPIRED || failure instanceof TimeoutException) {
                timedOut();
            } else {
                callback.failed(failure);
            }
        }

        private void timedOut() {
            Response.writeError(
                    request,
                    response,
                    callback,
                    HttpStatus.REQUEST_TIMEOUT_408,
                    "the request body did not arrive in time");
        }

        /** Runs the next handler over the body read; past the limit, drops the rest after it. */
        private void proceed() {
            Request buffered = new BufferedRequest(request, ByteBuffer.wrap(body, 0, size), over);
            Callback then = over ? Callback.from(this::drain, callback::failed) : callback;
            try {
                if (!BodyReader.super.handle(buffered, response, then)) {
                    Response.writeError(buffered, response, then, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable x) {
                Response.writeError(buffered, response, then, x);
            }
        }

        private void drain() {
            body = null;
            phase.set(Phase.DRAINING);
            if (NanoTime.until(deadline) <= 0) {
                callback.succeeded();
                return;
            }
            run();
        }
    }

    /** The request with its body read, served from memory. */
    private final class BufferedRequest extends Request.Wrapper {
        private final Content.Chunk body;
        private final boolean over;
        private Content.Chunk next;

        BufferedRequest(Request request, ByteBuffer body, boolean over) {
            super(request);
            this.body = Content.Chunk.from(body, !over);
            this.over = over;
            this.next = this.body;
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk chunk = next;
            if (chunk == body) {
                next =
                        over
                                ? Content.Chunk.from(new BodyTooLargeException(maxBody), true)
                                : Content.Chunk.EOF;
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            // The whole body is here: a read never has to wait.
            demandCallback.run();
        }

        @Override
        public synchronized void fail(Throwable failure) {
            if (!next.isLast()) {
                next = Content.Chunk.from(failure, true);
            }
        }
    }
}
