package dev.hadiag.app.relay;

/** The relay cannot go on: its state cannot be read or written. */
public final class RelayException extends RuntimeException {

    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
