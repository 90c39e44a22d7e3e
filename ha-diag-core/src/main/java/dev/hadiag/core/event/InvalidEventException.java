package dev.hadiag.core.event;

/** An event value broke the schema; the message names the field and what it expects. */
public final class InvalidEventException extends IllegalArgumentException {

    private final String field;

    public InvalidEventException(String field, String problem) {
        super("event field '" + field + "' " + problem);
        this.field = field;
    }

    /** The schema name of the offending field, e.g. {@code correlation_id}. */
    public String field() {
        return field;
    }
}
