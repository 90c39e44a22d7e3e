package dev.hadiag.core.port;

/** The event log as a whole could not be read; the message names the location and the reason. */
public final class EventLogException extends RuntimeException {

    public EventLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
