package dev.hadiag.core.silence;

/** A silence as asked for cannot be made: the message names the field and says why (an HTTP 400, a CLI exit 2). */
public final class InvalidSilenceException extends IllegalArgumentException {

    private final String field;

    public InvalidSilenceException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
