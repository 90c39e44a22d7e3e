package dev.hadiag.app.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's name, the default node name. */
final class HostName {

    private HostName() {
    }

    static String get() {
        try {
            String fromFile = Files.readString(Path.of("/etc/hostname")).trim();
            if (!fromFile.isEmpty()) {
                return fromFile;
            }
        } catch (IOException | SecurityException e) {
            // Not Linux, or not readable: ask the resolver instead.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
