package dev.hadiag.core.ha;

/** HA answered, but not with what was asked for: malformed or truncated JSON, a missing field, a failed command. */
public final class HaProtocolException extends HomeAssistantException {

    /** HA's error code of a failed WebSocket command for a command it does not have (its integration is not loaded). */
    public static final String UNKNOWN_COMMAND = "unknown_command";

    private final String haErrorCode;

    public HaProtocolException(String message, Throwable cause) {
        this(message, cause, "");
    }

    /** @param haErrorCode HA's {@code error.code} of a failed command ({@code unknown_command}, …), or empty */
    public HaProtocolException(String message, Throwable cause, String haErrorCode) {
        super(message, cause);
        this.haErrorCode = haErrorCode == null ? "" : haErrorCode;
    }

    /** HA's {@code error.code} of the failed command, or empty when HA's answer was unusable rather than an error. */
    public String haErrorCode() {
        return haErrorCode;
    }

    /** Whether HA does not know the command: the integration that provides it is not loaded (a skip, not a failure). */
    public boolean unknownCommand() {
        return UNKNOWN_COMMAND.equals(haErrorCode);
    }
}
