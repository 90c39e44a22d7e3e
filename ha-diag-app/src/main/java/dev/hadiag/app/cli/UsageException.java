package dev.hadiag.app.cli;

/** Bad input from the operator: the command prints the message as one line and exits with code 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
