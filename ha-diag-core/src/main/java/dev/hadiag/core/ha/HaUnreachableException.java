package dev.hadiag.core.ha;

/** No usable answer in time: connection refused or reset, timeout, or an HTTP 5xx. */
public final class HaUnreachableException extends HomeAssistantException {

    public HaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
