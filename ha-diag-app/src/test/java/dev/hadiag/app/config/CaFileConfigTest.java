package dev.hadiag.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 24: {@code ha_ca_file} / {@code HA_DIAG_HA_CA_FILE}, the PEM certificates trusted for HA's TLS. */
class CaFileConfigTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("HA_URL", "https://ha.lan:8123", "HA_TOKEN", "token-for-the-test"));

    /** Two public CA certificates of the JVM's own trust store, as PEM: real certificates, no key. */
    private static String pem(int count) throws IOException, GeneralSecurityException {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        StringBuilder pem = new StringBuilder();
        List<String> aliases = new ArrayList<>(Collections.list(cacerts.aliases()));
        Collections.sort(aliases);
        for (String alias : aliases.subList(0, count)) {
            X509Certificate certificate = (X509Certificate) cacerts.getCertificate(alias);
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return pem.toString();
    }

    private ConfigProblem refusal() {
        try {
            ConfigLoader.load(env, null, () -> "testhost");
        } catch (ConfigException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.key()).isEqualTo("ha_ca_file"));
            return e.problems().get(0);
        }
        throw new AssertionError("expected ha_ca_file to be refused");
    }

    @Test
    void unset_trusts_the_jvms_store() {
        assertThat(ConfigLoader.load(env, null, () -> "testhost").haCaCertificates()).isEmpty();
    }

    @Test
    void every_certificate_of_the_pem_file_is_read_from_the_environment_or_the_yaml_file() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), pem(2));
        env.put("HA_DIAG_HA_CA_FILE", ca.toString());
        assertThat(ConfigLoader.load(env, null, () -> "testhost").haCaCertificates()).hasSize(2);

        env.remove("HA_DIAG_HA_CA_FILE");
        Path yaml = Files.writeString(dir.resolve("agent.yaml"), "ha_ca_file: " + ca + "\n");
        assertThat(ConfigLoader.load(env, yaml.toString(), () -> "testhost").haCaCertificates()).hasSize(2);
    }

    @Test
    void a_missing_file_a_directory_and_a_file_without_certificates_are_refused_naming_the_key() throws IOException {
        env.put("HA_DIAG_HA_CA_FILE", dir.resolve("nope.pem").toString());
        assertThat(refusal().message()).contains("nope.pem").contains("does not exist");

        env.put("HA_DIAG_HA_CA_FILE", dir.toString());
        assertThat(refusal().message()).contains("not a regular file");

        env.put("HA_DIAG_HA_CA_FILE", Files.writeString(dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n").toString());
        assertThat(refusal()).satisfies(p -> {
            assertThat(p.source()).isEqualTo("env HA_DIAG_HA_CA_FILE");
            assertThat(p.message()).contains("key.pem").contains("-----BEGIN CERTIFICATE-----");
        });

        env.put("HA_DIAG_HA_CA_FILE", Files.writeString(dir.resolve("empty.pem"), "").toString());
        assertThat(refusal().message()).contains("no certificate");
        assertThatThrownBy(() -> ConfigLoader.load(env, null, () -> "testhost")).isInstanceOf(ConfigException.class);
    }
}
