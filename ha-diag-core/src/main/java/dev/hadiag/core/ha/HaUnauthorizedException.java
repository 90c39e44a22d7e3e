package dev.hadiag.core.ha;

/**
 * HA rejected the token (HTTP 401/403, WebSocket {@code auth_invalid}). Never retry in a loop: every
 * rejected attempt makes HA log a failed login and notify its users.
 */
public final class HaUnauthorizedException extends HomeAssistantException {

    public HaUnauthorizedException(String message, Throwable cause) {
        super(message, cause);
    }
}
