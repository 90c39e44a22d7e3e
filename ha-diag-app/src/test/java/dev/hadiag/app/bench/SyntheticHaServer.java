package dev.hadiag.app.bench;


/**
 * Serves a synthetic HA until stdin closes. Arguments: entities, storm size, and optionally a number of
 * state_changed frames to stream to the first subscriber. Prints its URL on the first line.
 */
public final class SyntheticHaServer {

    private SyntheticHaServer() {
    }

    public static void main(String[] args) throws Exception {
        try (SyntheticHomeAssistant ha = SyntheticHomeAssistant.start(Integer.parseInt(args[0]), Integer.parseInt(args[1]))) {
            System.out.println(ha.url());
            System.out.println("unavailable " + ha.unavailable() + ", payload " + ha.payloadBytes() / 1024 + " KiB");
            System.out.flush();
            if (args.length > 2) {
                ha.streamStateChanges(Long.parseLong(args[2]));
            }
            while (System.in.read() >= 0) {
                // wait for the caller to close stdin
            }
        }
    }
}
