package dev.hadiag.core.port;

import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where silences live: shared by the running agent and the CLI (which may write while the agent runs), so every
 * method reads and writes the durable store, never a cache. Failures are {@link DiagnosticStoreException}s.
 */
public interface SilenceStore {

    /** Stores a new silence and returns it with its id. */
    Silence addSilence(NewSilence silence);

    /** Every stored silence, oldest first. */
    List<Silence> silences();

    Optional<Silence> silence(long id);

    /**
     * Ends a silence at {@code at} (if it would end later); a silence that has already ended is returned unchanged.
     *
     * @return the silence as it is now, or empty when there is none with that id
     */
    Optional<Silence> expireSilence(long id, Instant at);

    /** Its {@code ha_diag_silence_started} event is written. */
    void markSilenceStartAnnounced(long id);

    /** Its {@code ha_diag_silence_ended} event is written. */
    void markSilenceEndAnnounced(long id);

    /** Forgets silences that ended (and were announced) before {@code before}. */
    void pruneSilences(Instant before);
}
