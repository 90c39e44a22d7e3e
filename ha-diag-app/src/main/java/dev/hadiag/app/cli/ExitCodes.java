package dev.hadiag.app.cli;

/** Process exit codes of the CLI. */
final class ExitCodes {

    static final int OK = 0;
    /** Something failed that is not the operator's input. */
    static final int FAILURE = 1;
    /** Bad input: option, value, configuration, or a location that cannot be used. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
