package dev.hadiag.app.config;

import dev.hadiag.core.ha.AccessToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of Home Assistant's URL and token: required, a base URL only, the token from the environment or a
 * token file, never from the YAML file, never in a message.
 */
final class HomeAssistantAccess {

    /** A long-lived token is about 180 bytes; anything near this is not a token file. */
    private static final int MAX_TOKEN_FILE_BYTES = 64 * 1024;
    /** A bundle of every public CA is about 200 KiB. */
    private static final int MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

    private HomeAssistantAccess() {
    }

    /** HA's base URL without a trailing slash, or "" after a problem. */
    static String url(ConfigReader reader) {
        ConfigSource source = reader.source();
        Optional<ConfigSource.Value> value = reader.text("ha_url", "HA_URL");
        if (value.isEmpty()) {
            source.problem("ha_url", "env HA_URL", "required: Home Assistant's base URL, e.g. http://homeassistant.local:8123");
            return "";
        }
        String url = value.get().value();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                source.problem("ha_url", value.get().source(), "expected an http:// or https:// URL with a host");
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                source.problem("ha_url", value.get().source(), "expected a base URL without user, query or fragment (the token goes in HA_TOKEN)");
            }
        } catch (URISyntaxException e) {
            source.problem("ha_url", value.get().source(), "not a URL: " + e.getReason());
        }
        return url.replaceAll("/+$", "");
    }

    /**
     * Issue 24: the certificates of {@code ha_ca_file} / {@code HA_DIAG_HA_CA_FILE} (PEM: a private CA, or HA's
     * self-signed certificate itself), the only ones trusted for HA; empty when unset (the JVM's trust store) or after a
     * problem. Read once here, so a missing or unreadable file stops the start naming the key.
     */
    static List<X509Certificate> caCertificates(ConfigReader reader) {
        ConfigSource source = reader.source();
        Optional<ConfigSource.Value> file = reader.text("ha_ca_file", "HA_DIAG_HA_CA_FILE");
        if (file.isEmpty()) {
            return List.of();
        }
        String name = file.get().value();
        String from = file.get().source();
        try {
            Path path = Path.of(name);
            if (!Files.isRegularFile(path)) {
                source.problem("ha_ca_file", from, name + (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                        ? " is not a regular file (nor a link to one)" : " does not exist"));
                return List.of();
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_CA_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_CA_FILE_BYTES) {
                source.problem("ha_ca_file", from, name + " is larger than " + MAX_CA_FILE_BYTES / 1024 / 1024
                        + " MiB; it must hold PEM certificates");
                return List.of();
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
            if (certificates.isEmpty()) {
                source.problem("ha_ca_file", from, name + " holds no certificate; expected PEM (-----BEGIN CERTIFICATE-----)");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            source.problem("ha_ca_file", from, name + " holds no readable certificate; expected PEM (-----BEGIN CERTIFICATE-----): "
                    + e.getMessage());
            return List.of();
        } catch (IOException | InvalidPathException e) {
            source.problem("ha_ca_file", from, "cannot read " + name + " (" + e.getClass().getSimpleName() + ")");
            return List.of();
        }
    }

    /** The token from {@code HA_TOKEN}, else from the file {@code HA_TOKEN_FILE} / {@code ha_token_file} names; null after a problem. */
    static AccessToken token(ConfigReader reader) {
        ConfigSource source = reader.source();
        source.refuseInFile("ha_token", "tokens do not belong in the YAML file; set HA_TOKEN, or HA_TOKEN_FILE / ha_token_file");
        // Asked even when HA_TOKEN wins over it: a file's ha_token_file is a known key beside an HA_TOKEN, not "unknown".
        Optional<ConfigSource.Value> tokenFile = reader.text("ha_token_file", "HA_TOKEN_FILE");
        Optional<String> direct = source.env("HA_TOKEN");
        if (direct.isPresent()) {
            source.effective("ha_token", "HA_TOKEN", SET_NOT_SHOWN, "env HA_TOKEN");
            return tokenOrProblem(source, direct.get().strip(), "ha_token", "env HA_TOKEN", "HA_TOKEN");
        }
        if (tokenFile.isEmpty()) {
            source.effective("ha_token", "HA_TOKEN", "(unset)", "default");
            source.problem("ha_token", "env HA_TOKEN", "required: a long-lived access token of Home Assistant "
                    + "(HA_TOKEN, or a file named by HA_TOKEN_FILE)");
            return null;
        }
        source.effective("ha_token", "HA_TOKEN", SET_NOT_SHOWN, "the file " + tokenFile.get().value());
        return fromFile(source, tokenFile.get().value(), tokenFile.get().source());
    }

    /** What {@code config check} shows of a secret that is set: never the value, nor its length. */
    static final String SET_NOT_SHOWN = "(set, not shown)";

    private static AccessToken fromFile(ConfigSource source, String name, String from) {
        try {
            Path path = Path.of(name);
            // A FIFO or a device would block the start or never end: only a regular file (or a link to one, as
            // Kubernetes mounts secrets) is read, and only up to a size no token comes near.
            if (!Files.isRegularFile(path)) {
                source.problem("ha_token_file", from, "HA_TOKEN_FILE " + name
                        + (Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? " is not a regular file (nor a link to one)" : " does not exist"));
                return null;
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_TOKEN_FILE_BYTES) {
                source.problem("ha_token_file", from, "HA_TOKEN_FILE " + name + " is larger than "
                        + MAX_TOKEN_FILE_BYTES / 1024 + " KiB; it must hold the token alone");
                return null;
            }
            return tokenOrProblem(source, withoutOneTrailingNewline(new String(bytes, StandardCharsets.ISO_8859_1)), "ha_token_file", from,
                    "HA_TOKEN_FILE " + name);
        } catch (IOException | InvalidPathException e) {
            source.problem("ha_token_file", from, "cannot read HA_TOKEN_FILE " + name + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    /** A token file may end in one newline, as editors and {@code echo} write it; nothing else is trimmed. */
    private static String withoutOneTrailingNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }

    /**
     * The token, or a problem naming where it came from. HA's tokens are printable ASCII without spaces: any
     * other character (a second line, a space, a BOM) would make every HTTP header invalid and send HA a
     * wrong token. The message never shows the content.
     */
    private static AccessToken tokenOrProblem(ConfigSource source, String token, String key, String from, String what) {
        if (token.isEmpty()) {
            source.problem(key, from, what + " is empty");
            return null;
        }
        int lines = token.split("\r\n|\r|\n", -1).length;
        if (lines > 1) {
            source.problem(key, from, what + " has " + lines + " lines; it must hold the token alone on one line "
                    + "(one trailing newline is allowed)");
            return null;
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            source.problem(key, from, what + " holds characters a token cannot have (spaces, control characters "
                    + "or non-ASCII); it must hold the token alone");
            return null;
        }
        return new AccessToken(token);
    }
}
