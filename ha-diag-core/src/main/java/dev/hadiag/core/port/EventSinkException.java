package dev.hadiag.core.port;

/** An event could not be made durable; the message says where and why. Nothing partial was left visible. */
public final class EventSinkException extends RuntimeException {

    public EventSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
