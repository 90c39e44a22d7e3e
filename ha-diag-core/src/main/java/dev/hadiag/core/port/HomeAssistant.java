package dev.hadiag.core.port;

import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.ha.SystemHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the core reads from one Home Assistant instance. Every method throws one of the
 * {@link dev.hadiag.core.ha.HomeAssistantException} kinds when HA cannot answer as needed.
 */
public interface HomeAssistant {

    /** {@code GET /api/}: HA's API answers with this token. */
    void ping();

    /** {@code GET /api/config}: version and core run state. */
    HaConfig config();

    /** Every entity state, handed over one at a time as they are parsed, so a huge install is never held twice. */
    void forEachState(Consumer<EntityState> consumer);

    /**
     * Every entity state as {@link #forEachState(Consumer)} hands it over, with only the named attributes: for a check
     * that reads few of them (at 20,000 entities the attribute maps were most of what a state parse built). The default
     * drops the others from each whole state; an adapter need not read them at all.
     */
    default void forEachState(Set<String> attributes, Consumer<EntityState> consumer) {
        forEachState(state -> consumer.accept(state.withOnlyAttributes(attributes)));
    }

    /**
     * One entity's state, or empty when HA has no such entity. The default reads every state; adapters ask for the
     * one.
     */
    default Optional<EntityState> state(String entityId) {
        List<EntityState> found = new ArrayList<>();
        forEachState(state -> {
            if (state.entityId().equals(entityId)) {
                found.add(state);
            }
        });
        return found.stream().findFirst();
    }

    /** Every config entry (integration instance) with its state. */
    List<ConfigEntry> configEntries();

    /**
     * The config entries, the device registry and the entity registry, read together in one call (a check never asks
     * for them one by one, so nothing depends on the order it asks in). Disabled entities may be left out of the
     * entities (HA's compact list omits them): a disabled entity has no state, so the analysis treats it the same.
     */
    HaRegistries registries();

    /** System health, with pending values resolved (or marked failed when HA gives up on them). */
    SystemHealth systemHealth();

    /** The stored traces of every automation. */
    List<AutomationTrace> automationTraces();

    /** The recorder's queue and state. */
    RecorderInfo recorderInfo();

    /** The active repair issues. */
    List<RepairIssue> repairIssues();

    /** HA's backups and, on 2025.1+, its automatic backups' state ({@code backup/info}, admin). */
    BackupInfo backupInfo();

    /** HA's own log as {@code system_log/list} keeps it (admin): at most 50 entries of WARNING and above, empty after a restart. */
    List<LogEntry> systemLog();
}
