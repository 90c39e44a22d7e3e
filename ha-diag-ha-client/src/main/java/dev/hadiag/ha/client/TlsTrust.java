package dev.hadiag.ha.client;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Issue 24: HA behind TLS with a private CA or a self-signed certificate. The certificates of
 * {@link HaClientSettings#trustedCertificates()} are the only ones trusted for HA (REST and WebSocket share the
 * client), and a failed handshake is said to be one: before, it was a bare exception class in a reason
 * ({@code not connected yet}) that no log line named.
 */
final class TlsTrust {

    /** What an operator can do about an untrusted certificate: the setting's names, as docs/configuration.md has them. */
    static final String HINT = "if Home Assistant's certificate is signed by a private CA or self-signed, "
            + "set ha_ca_file / HA_DIAG_HA_CA_FILE to that CA's (or the certificate's) PEM file";

    private TlsTrust() {
    }

    /** {@code builder} trusting only {@code certificates}; unchanged (the JVM's trust store) when there are none. */
    static OkHttpClient.Builder trusting(OkHttpClient.Builder builder, List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            return builder;
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                anchors.setCertificateEntry("ha-ca-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            X509TrustManager trustManager = null;
            for (TrustManager candidate : factory.getTrustManagers()) {
                if (candidate instanceof X509TrustManager x509) {
                    trustManager = x509;
                }
            }
            if (trustManager == null) {
                throw new IllegalStateException("the JVM's TrustManagerFactory has no X.509 trust manager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return builder.sslSocketFactory(context.getSocketFactory(), trustManager);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot trust the given certificates for Home Assistant: " + e.getMessage(), e);
        }
    }

    /** The failure in words, when it is a TLS one. */
    static Optional<String> describe(Throwable failure) {
        SSLException tls = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                tls = ssl;
                break;
            }
        }
        if (tls == null) {
            return Optional.empty();
        }
        if (tls instanceof SSLPeerUnverifiedException) {
            return Optional.of("TLS failed: the certificate does not name this host (" + oneLine(tls.getMessage())
                    + "); use the host name the certificate was issued for in ha_url");
        }
        if (has(tls, CertificateExpiredException.class) || has(tls, CertificateNotYetValidException.class)) {
            return Optional.of("TLS failed: Home Assistant's certificate is expired or not yet valid (" + innermost(tls) + ")");
        }
        if (has(tls, CertPathBuilderException.class) || has(tls, CertPathValidatorException.class)) {
            return Optional.of("TLS failed: Home Assistant's certificate is not trusted (" + innermost(tls) + "); " + HINT);
        }
        return Optional.of("TLS failed" + (tls instanceof SSLHandshakeException ? " (handshake)" : "") + ": " + oneLine(tls.getMessage()));
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The deepest message: the JDK nests "PKIX path building failed: …: unable to find valid certification path". */
    private static String innermost(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable t = failure.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return oneLine(message);
    }

    /** OkHttp's hostname message spans lines (certificate, DN, names): one line for an event's reason and a log line. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s+", " ");
    }
}
