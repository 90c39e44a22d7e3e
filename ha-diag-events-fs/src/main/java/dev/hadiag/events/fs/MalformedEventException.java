package dev.hadiag.events.fs;

/** A document that is not a valid event; the message says which field or what syntax is wrong. */
public final class MalformedEventException extends IllegalArgumentException {

    public MalformedEventException(String message) {
        super(message);
    }
}
