package dev.hadiag.app.cli;

import dev.hadiag.store.sqlite.SqliteNativeLibrary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code java -cp ha-diag.jar dev.hadiag.app.cli.SqliteNativeInstall DIRECTORY}: what {@code bin/ha-diag-cds} runs
 * at install time to unpack SQLite's native library where the launcher points sqlite-jdbc.
 */
public final class SqliteNativeInstall {

    private SqliteNativeInstall() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SqliteNativeInstall DIRECTORY");
            System.exit(ExitCodes.USAGE);
        }
        try {
            System.out.println(SqliteNativeLibrary.extractTo(Path.of(args[0])));
        } catch (IOException e) {
            System.err.println("ha-diag: cannot unpack SQLite's native library: " + e.getMessage());
            System.exit(ExitCodes.FAILURE);
        }
    }
}
