package dev.hadiag.core.diagnostics;

import java.util.List;

/** A check name that is not one of the configured checks. */
public final class UnknownCheckException extends RuntimeException {

    private final List<String> validNames;

    public UnknownCheckException(String name, List<String> validNames) {
        super("unknown check '" + name + "'; valid checks: " + String.join(", ", validNames));
        this.validNames = List.copyOf(validNames);
    }

    public List<String> validNames() {
        return validNames;
    }
}
