package dev.hadiag.core.ha;

/** HA answered, but not with what was asked for: malformed or truncated JSON, a missing field, a failed command. */
public final class HaProtocolException extends HomeAssistantException {

    public HaProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
