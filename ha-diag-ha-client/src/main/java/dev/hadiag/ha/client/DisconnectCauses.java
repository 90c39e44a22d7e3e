package dev.hadiag.ha.client;

import dev.hadiag.core.ha.LiveSignal.DisconnectCause;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * What a failed connection says about HA, read from the exception chain: "refused" is the host answering
 * that nothing listens (HA's process is down), a timeout or no route is the network. The planned-restart
 * logic in the core decides from this; a wrong "refused" would page at once, so only the unambiguous
 * cases are refused.
 */
final class DisconnectCauses {

    /** A reverse proxy answered the upgrade with 502/503: it is up, HA behind it is not (as good as a refused port). */
    static final class UpstreamDown extends IOException {
        private static final long serialVersionUID = 1L;

        UpstreamDown(int code) {
            super("a proxy answered HTTP " + code + ": Home Assistant behind it is down");
        }
    }

    private DisconnectCauses() {
    }

    static DisconnectCause of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamDown) {
                return DisconnectCause.REFUSED;
            }
            if (t instanceof ConnectException && isRefusal(t.getMessage())) {
                return DisconnectCause.REFUSED;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof TimeoutException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof ConnectException) {
                return DisconnectCause.UNREACHABLE;
            }
        }
        return DisconnectCause.OTHER;
    }

    private static boolean isRefusal(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("refused");
    }
}
