package dev.hadiag.core.ha;

/** HA sends {@code null} for absent text; the model uses the empty string so no null crosses a boundary. */
final class Strings {

    private Strings() {
    }

    static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }
}
