package dev.hadiag.core.ha;

/**
 * Home Assistant could not answer as needed. The three kinds are what the checks distinguish: HA is
 * unreachable (down, timing out, or answering 5xx), HA rejected the token, or HA answered something this
 * client cannot use. Messages say what was attempted and why it failed, and never contain the token.
 */
public abstract sealed class HomeAssistantException extends RuntimeException
        permits HaUnreachableException, HaUnauthorizedException, HaProtocolException {

    protected HomeAssistantException(String message, Throwable cause) {
        super(message, cause);
    }
}
