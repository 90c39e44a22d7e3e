#!/usr/bin/env bash
# The benchmarks of docs/performance.md, one command each:
#   deploy/dev/bench.sh analysis     # 1: parse vs full unavailable_entities cycle at 1k/10k/50k entities (JMH)
#   deploy/dev/bench.sh memory       # 2: the 50k cycle under -Xmx64m, peak heap
#   deploy/dev/bench.sh intake       # 3: state_changed frames/s the live connection absorbs on one core
#   deploy/dev/bench.sh latency      # 4: HA killed -> ha_websocket_dead on disk, and back (real HA, 20 trials)
#   deploy/dev/bench.sh footprint    # 5: agent start to /health 200, idle RSS (real HA)
#   deploy/dev/bench.sh idle [ARGS]  # 5: idle CPU and wake-ups per 5 min, every default (real HA); BENCH_BEFORE_JAR=JAR alternates an earlier jar
#   deploy/dev/bench.sh crash        # 10: kill -9 of HA -> ha_websocket_dead on disk with the defaults, and back (20 trials)
#   deploy/dev/bench.sh storm        # 6: 5,000 entities of one integration down at once -> event files
#   deploy/dev/bench.sh ha-cost [ARGS]  # 7: HA's own CPU with and without the agent at 1k/10k entities (real HA); --plugin N [--before-jar JAR]: figure 8; --hold: keep the HA up for profiling
#   deploy/dev/bench.sh baseline     # 9: the baseline's SQLite read + write in a warm cycle, 5,000 entities down
#   deploy/dev/bench.sh causes [ARGS]  # 9: warm cycle / bare fetch + parse, real HA, 20k states, 5,000 causes
#   deploy/dev/bench.sh fleet [ARGS]   # 11: ha-diag fleet loading 10 nodes x 5,000 retained alerts from mosquitto; BENCH_BEFORE_JAR=JAR alternates
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
java=${JAVA:-java}
# The flags bin/ha-diag gives the agent (run), without the class-data archive; the benchmarks that run the
# agent in a JVM of their own use them (footprint uses the launcher itself).
shipped_flags=(-XX:+UseSerialGC -Xms16m -Xmx96m -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+ExitOnOutOfMemoryError)

build() {
  # One reactor run: the sibling modules resolve to their target/ (nothing is installed in ~/.m2).
  # BENCH_NO_BUILD=1 uses what the last build left (a machine where every Maven run waits for others).
  [[ "${BENCH_NO_BUILD:-}" == 1 ]] || ./mvnw -B -o -q -DskipTests -pl ha-diag-app -am package dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath >&2
  # BENCH_CLASSES_FIRST: a directory of classes ahead of the build's (an earlier version of what changed, for a before/after).
  cp="${BENCH_CLASSES_FIRST:+$BENCH_CLASSES_FIRST:}ha-diag-app/target/test-classes:ha-diag-app/target/classes:$(cat ha-diag-app/target/bench.classpath 2>/dev/null || true)"
}

# Starts a synthetic HA in its own JVM (so its payloads are not in the measured heap); sets $ha_url.
synthetic_ha() { # entities storm [frames to stream] [cpu for the server]
  coproc SERVER { exec taskset -c "${4:-0-$(($(nproc) - 1))}" "$java" -Xmx1g -cp "$cp" dev.hadiag.app.bench.SyntheticHaServer "$1" "$2" ${3:+"$3"}; }
  read -r ha_url <&"${SERVER[0]}"
  read -r info <&"${SERVER[0]}"
  echo "synthetic HA: $1 entities + storm $2: $info" >&2
}

stop_synthetic_ha() {
  exec {SERVER[1]}>&-
  wait "$SERVER_PID" 2>/dev/null || true
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p' | head -1); $("$java" -version 2>&1 | head -1)"
}

case "${1:-}" in
  analysis)
    build; machine
    "$java" -cp "$cp" org.openjdk.jmh.Main AnalysisBenchmark -rf text -rff ha-diag-app/target/analysis.txt "${@:2}"
    ;;
  memory)
    build; machine
    synthetic_ha 50000 0
    "$java" "${shipped_flags[@]/-Xmx96m/-Xmx64m}" -cp "$cp" dev.hadiag.app.bench.CycleRun "$ha_url" 10 15m
    stop_synthetic_ha
    ;;
  storm)
    build; machine
    # How many event files the storm writes (the agent's flags), then its cycle time against the bare parse (JMH).
    synthetic_ha 10000 5000
    "$java" "${shipped_flags[@]}" -cp "$cp" dev.hadiag.app.bench.CycleRun "$ha_url" 5 0s
    stop_synthetic_ha
    "$java" -cp "$cp" org.openjdk.jmh.Main AnalysisBenchmark -p entities=10000 -p storm=5000 -p threshold=0s \
      -rf text -rff ha-diag-app/target/storm.txt "${@:2}"
    ;;
  intake)
    build; machine
    frames=${2:-2000000}
    synthetic_ha 0 0 "$frames" 1
    taskset -c 0 "$java" "${shipped_flags[@]}" -cp "$cp" dev.hadiag.app.bench.WebSocketIntakeRun "$ha_url" "$frames"
    stop_synthetic_ha
    ;;
  crash)  # the jar only (no install): run it under the shared lock, it starts a real HA
    machine
    ./mvnw -B -q -o -DskipTests package -pl ha-diag-app -am >&2
    bash "$here/ha-dev.sh" install >&2
    python3 "$here/bench_agent.py" crash --jar ha-diag-app/target/ha-diag.jar --ha-dev "$here/ha-dev.sh" -- "${shipped_flags[@]}"
    ;;
  latency)
    build; machine
    bash "$here/ha-dev.sh" install >&2
    python3 "$here/bench_agent.py" "$1" --jar ha-diag-app/target/ha-diag.jar --ha-dev "$here/ha-dev.sh" -- "${shipped_flags[@]}"
    ;;
  footprint)
    # As shipped: the launcher, its flags and the class-data archive.
    build; machine
    bash "$here/ha-dev.sh" install >&2
    bin/ha-diag-cds >&2
    python3 "$here/bench_agent.py" "$1" --jar ha-diag-app/target/ha-diag.jar --ha-dev "$here/ha-dev.sh" \
      --launcher bin/ha-diag "${@:2}"
    ;;
  idle)
    # As shipped (the launcher, its archive), every default. Each jar gets its own archive next to it.
    build; machine
    bash "$here/ha-dev.sh" install >&2
    bin/ha-diag-cds >&2
    [[ -z "${BENCH_BEFORE_JAR:-}" ]] || HA_DIAG_JAR="$BENCH_BEFORE_JAR" bin/ha-diag-cds >&2
    python3 "$here/bench_agent.py" idle --jar "$(readlink -f ha-diag-app/target/ha-diag.jar)" \
      ${BENCH_BEFORE_JAR:+--before "$(readlink -f "$BENCH_BEFORE_JAR")"} --ha-dev "$here/ha-dev.sh" --launcher bin/ha-diag "${@:2}"
    ;;
  baseline)
    build; machine
    "$java" "${shipped_flags[@]}" -cp "$cp" dev.hadiag.app.bench.BaselineWriteRun "${@:2}"
    ;;
  ha-cost)
    # HA's venv has aiohttp, for the WebSocket calls (the 2024.3.3 venv: ha-dev.sh's default version).
    [[ "${BENCH_NO_BUILD:-}" == 1 ]] || ./mvnw -B -o -q -DskipTests -pl ha-diag-app -am package >&2
    bash "$here/ha-dev.sh" install >&2
    "${HA_DIAG_HA_VENV:-$HOME/.cache/ha-diag/ha-2024.3.3-py3.11}/bin/python" "$here/bench_ha_cost.py" \
      --jar ha-diag-app/target/ha-diag.jar --ha-dev "$here/ha-dev.sh" "${@:2}" -- "${shipped_flags[@]}"
    ;;
  causes)
    # A real HA 2024.3.3 with 20,000 extra states, every 4th unavailable with no registry entry (5,000 separate root
    # causes); ManyCausesRun alternates the bare fetch + parse and the warm cycle in one JVM with the agent's flags.
    # BENCH_JAVA_OPTS adds JVM flags (a profile: -XX:StartFlightRecording=filename=causes.jfr).
    build; machine
    bash "$here/ha-dev.sh" install >&2
    "${HA_DIAG_HA_VENV:-$HOME/.cache/ha-diag/ha-2024.3.3-py3.11}/bin/python" "$here/bench_ha_cost.py" \
      --jar ha-diag-app/target/ha-diag.jar --ha-dev "$here/ha-dev.sh" --sizes 20000 --causes 10 --classpath "$cp" "${@:2}" \
      -- "${shipped_flags[@]}" ${BENCH_JAVA_OPTS:-}
    ;;
  fleet)
    # As shipped (the launcher, its archive); the broker filled by ha-diag relay itself. No HA, but 11 JVMs: under the lock.
    build; machine
    bin/ha-diag-cds >&2
    [[ -z "${BENCH_BEFORE_JAR:-}" ]] || HA_DIAG_JAR="$BENCH_BEFORE_JAR" bin/ha-diag-cds >&2
    python3 "$here/bench_fleet.py" --jar "$(readlink -f ha-diag-app/target/ha-diag.jar)" \
      ${BENCH_BEFORE_JAR:+--before "$(readlink -f "$BENCH_BEFORE_JAR")"} --launcher bin/ha-diag "${@:2}"
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
