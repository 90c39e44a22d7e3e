package dev.hadiag.core.testing;

import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HomeAssistantException;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.ha.SystemHealth;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An HA for the core's unit tests: answers what the test set, or fails every call the way the test says. */
public final class FakeHomeAssistant implements HomeAssistant {

    private volatile HaConfig config = new HaConfig("2024.3.3", CoreState.RUNNING, "Home", List.of());
    private volatile HaSnapshot snapshot = Snapshots.ha().build();
    private volatile SystemHealth systemHealth = new SystemHealth(Map.of());
    private volatile List<AutomationTrace> traces = List.of();
    private volatile RecorderInfo recorder = new RecorderInfo(0L, 65000, true, true, false);
    private volatile List<RepairIssue> repairs = List.of();
    private volatile BackupInfo backups = BackupInfo.legacy(List.of(), false);
    private volatile List<LogEntry> systemLog = List.of();
    private volatile HomeAssistantException failure;
    private final AtomicInteger calls = new AtomicInteger();

    public FakeHomeAssistant snapshot(HaSnapshot snapshot) {
        this.snapshot = snapshot;
        return this;
    }

    public FakeHomeAssistant coreState(CoreState state) {
        this.config = new HaConfig("2024.3.3", state, "Home", List.of());
        return this;
    }

    public FakeHomeAssistant systemHealth(SystemHealth health) {
        this.systemHealth = health;
        return this;
    }

    public FakeHomeAssistant traces(List<AutomationTrace> traces) {
        this.traces = List.copyOf(traces);
        return this;
    }

    public FakeHomeAssistant recorder(RecorderInfo recorder) {
        this.recorder = recorder;
        return this;
    }

    public FakeHomeAssistant repairs(List<RepairIssue> repairs) {
        this.repairs = List.copyOf(repairs);
        return this;
    }

    public FakeHomeAssistant backups(BackupInfo backups) {
        this.backups = backups;
        return this;
    }

    /** HA's log as {@code system_log/list} answers it, newest entry first as HA lists them. */
    public FakeHomeAssistant systemLog(List<LogEntry> entries) {
        this.systemLog = List.copyOf(entries);
        return this;
    }

    /** Every call throws {@code failure} until {@link #answer()}. */
    public FakeHomeAssistant fail(HomeAssistantException failure) {
        this.failure = failure;
        return this;
    }

    public FakeHomeAssistant answer() {
        this.failure = null;
        return this;
    }

    /** How many calls reached this HA (failed ones included). */
    public int calls() {
        return calls.get();
    }

    private void call() {
        calls.incrementAndGet();
        HomeAssistantException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public void ping() {
        call();
    }

    @Override
    public HaConfig config() {
        call();
        return config;
    }

    @Override
    public void forEachState(Consumer<EntityState> consumer) {
        call();
        snapshot.states().forEach(consumer);
    }

    @Override
    public List<ConfigEntry> configEntries() {
        call();
        return snapshot.configEntries();
    }

    @Override
    public HaRegistries registries() {
        call();
        return new HaRegistries(snapshot.configEntries(), snapshot.devices(), snapshot.entities());
    }

    @Override
    public SystemHealth systemHealth() {
        call();
        return systemHealth;
    }

    @Override
    public List<AutomationTrace> automationTraces() {
        call();
        return new ArrayList<>(traces);
    }

    @Override
    public RecorderInfo recorderInfo() {
        call();
        return recorder;
    }

    @Override
    public List<RepairIssue> repairIssues() {
        call();
        return repairs;
    }

    @Override
    public BackupInfo backupInfo() {
        call();
        return backups;
    }

    @Override
    public List<LogEntry> systemLog() {
        call();
        return systemLog;
    }
}
