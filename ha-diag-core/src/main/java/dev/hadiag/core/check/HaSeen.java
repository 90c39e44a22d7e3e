package dev.hadiag.core.check;

import dev.hadiag.core.ha.CoreState;

/**
 * What a run saw of Home Assistant itself, as a value the agent reads instead of a report's text: the heartbeat says
 * whether HA answered and in which core state; every other check, and a heartbeat that did not run, did not look.
 */
public sealed interface HaSeen {

    /** The run did not look at HA's core. */
    HaSeen NOT_LOOKED = new NotLooked();

    record NotLooked() implements HaSeen {
    }

    /** HA {@code version} answered; its core was in {@code state} ({@link CoreState#isStarting()}: still setting up). */
    record Answering(String version, CoreState state) implements HaSeen {
        public Answering {
            version = version == null ? "" : version;
            if (state == null) {
                throw new IllegalArgumentException("state is required");
            }
        }
    }

    /** HA did not answer (refused, timed out, 5xx). */
    record Unreachable() implements HaSeen {
    }

    /** HA answered but rejected the agent's token. */
    record TokenRejected() implements HaSeen {
    }
}
