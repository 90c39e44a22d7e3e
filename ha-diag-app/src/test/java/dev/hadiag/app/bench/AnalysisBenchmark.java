package dev.hadiag.app.bench;

import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Figure 1 of docs/performance.md: what the {@code unavailable_entities} cycle costs against the bare
 * download and parse of the same answers. {@code parse}: states, entity and device registries, config
 * entries, fetched from the synthetic HA over loopback and parsed, nothing else. {@code cycle}: the same
 * plus root-cause analysis, the baseline and the alert lifecycle in SQLite, as the agent runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class AnalysisBenchmark {

    @Param({"1000", "10000", "50000"})
    public int entities;

    /** Figure 6: this many more entities in one config entry, all unavailable (bench.sh storm sets 5000). */
    @Param({"0"})
    public int storm;

    /** {@code 0s} makes every cause an open alert from the first run, as after a storm has lasted. */
    @Param({"15m"})
    public String threshold;

    private SyntheticHomeAssistant ha;
    private OkHttpHomeAssistant client;
    private SqliteDiagnosticStore store;
    private Diagnostics diagnostics;
    private Path dir;

    @Setup(Level.Trial)
    public void start() throws Exception {
        ha = SyntheticHomeAssistant.start(entities, storm);
        client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), SyntheticHomeAssistant.TOKEN));
        dir = Files.createTempDirectory("ha-diag-bench");
        store = SqliteDiagnosticStore.open(dir.resolve("bench.db"));
        diagnostics = BenchSupport.unavailableEntities(ha.url(), threshold, client, store, FileSystemEventSink.open(dir.resolve("events")));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        store.close();
        ha.close();
    }

    @Benchmark
    public void parse(Blackhole blackhole) {
        blackhole.consume(client.registries());
        client.forEachState(blackhole::consume);
    }

    @Benchmark
    public CheckReport cycle() {
        CheckReport report = diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        if (report.status() == CheckStatus.FAILED || report.status() == CheckStatus.SKIPPED) {
            throw new IllegalStateException("cycle did not run: " + report.reason());
        }
        return report;
    }
}
