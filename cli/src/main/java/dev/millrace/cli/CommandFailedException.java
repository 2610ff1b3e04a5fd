package dev.millrace.cli;

/** An expected failure of a command: printed as one line, without a stack trace. */
public final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
        super(message);
    }
}
