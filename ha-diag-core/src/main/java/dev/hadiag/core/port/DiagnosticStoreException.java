package dev.hadiag.core.port;

/** The diagnostic store cannot be used; the message names the file and what to do. */
public final class DiagnosticStoreException extends RuntimeException {

    public DiagnosticStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
