package dev.millrace.services.internal;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep the JVM alive: the services close their pools on stop. */
public final class DaemonThreads {
    private DaemonThreads() {}

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
