package dev.millrace.stack.chaos;

import java.time.Duration;

/** The process that runs a pipeline's topology in a chaos run, to kill and start again. */
interface EngineProcess extends AutoCloseable {
    /** What the kill fault is called, e.g. {@code streams process SIGKILL}. */
    String killed();

    /** Starts the process and waits until the pipeline runs in it. */
    void start(Duration timeout) throws Exception;

    /** SIGKILL, as a crash: no commit, no checkpoint, no leaving the group. */
    void kill() throws InterruptedException;

    @Override
    void close() throws Exception;
}
