package dev.hadiag.app.agent;

import dev.hadiag.app.agent.PrometheusText.Type;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The JVM and process series operators graph, under the names Micrometer's binders gave them: heap, live threads,
 * CPU, open files, start time and uptime, the load average. Read from {@link Runtime}, the thread groups and Linux's
 * {@code /proc}, not from the platform MXBeans: the first use of {@code java.lang.management} loads about 280 classes
 * into an agent that otherwise has none of them (docs/performance.md). Where {@code /proc} cannot be read (not Linux)
 * its series are left out rather than written as 0.
 */
final class ProcessMetrics {

    /** Linux's USER_HZ, the unit of {@code /proc}'s CPU and start times: 100 on every architecture the agent runs on. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Map<String, String> HEAP = Map.of("area", "heap");

    private final Path proc;
    private final OptionalDouble startSeconds;
    private long lastCpuNanos;
    private long lastWallNanos = System.nanoTime();

    ProcessMetrics() {
        this(Path.of("/proc"));
    }

    ProcessMetrics(Path proc) {
        this.proc = proc;
        this.startSeconds = startSeconds(proc);
        this.lastCpuNanos = (long) cpuNanos().orElse(0);
    }

    /** The families in name order (after the agent's own {@code ha_diag_*}, so the whole exposition stays sorted). */
    void write(PrometheusText out) {
        Runtime runtime = Runtime.getRuntime();
        long committed = runtime.totalMemory();
        out.family("jvm_memory_committed_bytes", Type.GAUGE, "The amount of memory in bytes that is committed for the Java virtual machine to use")
                .sample("jvm_memory_committed_bytes", HEAP, (double) committed);
        out.family("jvm_memory_max_bytes", Type.GAUGE, "The maximum amount of memory in bytes that can be used for memory management")
                .sample("jvm_memory_max_bytes", HEAP, (double) runtime.maxMemory());
        out.family("jvm_memory_used_bytes", Type.GAUGE, "The amount of used memory")
                .sample("jvm_memory_used_bytes", HEAP, (double) (committed - runtime.freeMemory()));
        int[] threads = threads();
        out.family("jvm_threads_daemon_threads", Type.GAUGE, "The current number of live daemon threads")
                .sample("jvm_threads_daemon_threads", Map.of(), (double) threads[1]);
        out.family("jvm_threads_live_threads", Type.GAUGE, "The current number of live threads including both daemon and non-daemon threads")
                .sample("jvm_threads_live_threads", Map.of(), (double) threads[0]);
        int processors = runtime.availableProcessors();
        OptionalDouble cpu = cpuNanos();
        if (cpu.isPresent()) {
            out.family("process_cpu_time_ns_total", Type.COUNTER, "The \"cpu time\" used by the Java Virtual Machine process")
                    .sample("process_cpu_time_ns_total", Map.of(), cpu.getAsDouble());
            out.family("process_cpu_usage", Type.GAUGE, "The \"recent cpu usage\" for the Java Virtual Machine process")
                    .sample("process_cpu_usage", Map.of(), usageSinceLastScrape((long) cpu.getAsDouble(), processors));
        }
        maxFiles().ifPresent(max -> out.family("process_files_max_files", Type.GAUGE, "The maximum file descriptor count")
                .sample("process_files_max_files", Map.of(), max));
        openFiles().ifPresent(open -> out.family("process_files_open_files", Type.GAUGE, "The open file descriptor count")
                .sample("process_files_open_files", Map.of(), open));
        startSeconds.ifPresent(start -> {
            out.family("process_start_time_seconds", Type.GAUGE, "Start time of the process since unix epoch.")
                    .sample("process_start_time_seconds", Map.of(), start);
            out.family("process_uptime_seconds", Type.GAUGE, "The uptime of the Java virtual machine")
                    .sample("process_uptime_seconds", Map.of(), Math.max(0, System.currentTimeMillis() / 1000.0 - start));
        });
        out.family("system_cpu_count", Type.GAUGE, "The number of processors available to the Java virtual machine")
                .sample("system_cpu_count", Map.of(), (double) processors);
        loadAverage().ifPresent(load -> out.family("system_load_average_1m", Type.GAUGE,
                "The sum of the number of runnable entities queued to available processors and the number of runnable entities running on the available processors averaged over a period of time")
                .sample("system_load_average_1m", Map.of(), load));
    }

    /** The share of all processors the process used since the previous scrape (since the start for the first one). */
    private synchronized double usageSinceLastScrape(long cpuNanos, int processors) {
        long now = System.nanoTime();
        long wall = now - lastWallNanos;
        double usage = wall <= 0 ? 0 : (double) (cpuNanos - lastCpuNanos) / wall / processors;
        lastCpuNanos = cpuNanos;
        lastWallNanos = now;
        return Math.min(1, Math.max(0, usage));
    }

    /** Live and daemon Java threads: every thread of the root group, as the thread MXBean counts them. */
    private static int[] threads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int live = root.enumerate(all, true);
        int daemon = 0;
        for (int i = 0; i < live; i++) {
            daemon += all[i].isDaemon() ? 1 : 0;
        }
        return new int[] {live, daemon};
    }

    /** utime + stime of {@code /proc/self/stat}. */
    private OptionalDouble cpuNanos() {
        List<String> fields = statFields(proc);
        if (fields.size() < 20) {
            return OptionalDouble.empty();
        }
        long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
        return OptionalDouble.of(ticks * (1e9 / TICKS_PER_SECOND));
    }

    private OptionalDouble openFiles() {
        String[] fds = new File(proc.resolve("self/fd").toString()).list();
        // The listing holds one descriptor of its own while it reads the directory: not the agent's.
        return fds == null ? OptionalDouble.empty() : OptionalDouble.of(Math.max(0, fds.length - 1));
    }

    /** The soft limit, the one the kernel enforces ("Max open files  20000  20000  files"). */
    private OptionalDouble maxFiles() {
        for (String line : lines(proc.resolve("self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] columns = line.substring("Max open files".length()).trim().split("\\s+");
                return columns[0].equals("unlimited") ? OptionalDouble.of(Double.POSITIVE_INFINITY) : parse(columns[0]);
            }
        }
        return OptionalDouble.empty();
    }

    private OptionalDouble loadAverage() {
        List<String> lines = lines(proc.resolve("loadavg"));
        return lines.isEmpty() ? OptionalDouble.empty() : parse(lines.get(0).split(" ")[0]);
    }

    /** The boot time of {@code /proc/stat} plus the process's start in ticks after it (field 22 of its stat). */
    private static OptionalDouble startSeconds(Path proc) {
        List<String> fields = statFields(proc);
        if (fields.size() < 20) {
            return OptionalDouble.empty();
        }
        for (String line : lines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                OptionalDouble boot = parse(line.substring(6).trim());
                if (boot.isPresent()) {
                    return OptionalDouble.of(boot.getAsDouble() + Long.parseLong(fields.get(19)) / TICKS_PER_SECOND);
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** The fields of {@code /proc/self/stat} from the third (the state) on: the command before may hold spaces. */
    private static List<String> statFields(Path proc) {
        List<String> lines = lines(proc.resolve("self/stat"));
        if (lines.isEmpty()) {
            return List.of();
        }
        String stat = lines.get(0);
        int command = stat.lastIndexOf(')');
        return command < 0 ? List.of() : List.of(stat.substring(command + 1).trim().split(" "));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static OptionalDouble parse(String number) {
        try {
            return OptionalDouble.of(Double.parseDouble(number));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
