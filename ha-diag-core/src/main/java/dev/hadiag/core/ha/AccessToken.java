package dev.hadiag.core.ha;

/** A Home Assistant access token. Its {@code toString} never shows the value, so it cannot leak into logs by accident. */
public record AccessToken(String value) {

    public AccessToken {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("access token must not be blank");
        }
        value = value.strip();
    }

    @Override
    public String toString() {
        return "AccessToken[redacted]";
    }
}
