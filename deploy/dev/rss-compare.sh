#!/usr/bin/env bash
# Idle RSS of agents side by side (docs/performance.md, "Idle RSS: the classes"): one test HA; agents one after
# another (pairs alternated), each through bin/ha-diag with its own JAVA / jar / opts,
# after SECS (default 65): VmRSS, RssAnon, RssFile; THREADS=1 also names the threads. Each jar needs its archive
# next to it (bin/ha-diag-cds). For an environment variable (MALLOC_ARENA_MAX …), give as JAVA a script that
# exports it and execs java.
#
#   flock /tmp/ha-diag-heavy.lock deploy/dev/rss-compare.sh PAIRS "label|java|JAR|HA_DIAG_JAVA_OPTS" ...
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
pairs=$1; shift
work=$(mktemp -d /tmp/ha-diag-cmp-XXXX)
pid=
trap '[[ -n "$pid" ]] && kill $pid 2>/dev/null; wait 2>/dev/null; bash deploy/dev/ha-dev.sh stop "$work/ha" >/dev/null 2>&1; rm -rf "$work"' EXIT
eval "$(bash deploy/dev/ha-dev.sh start "$work/ha" | grep -E '^HA_(URL|TOKEN)=' | sed 's/^/export /')"
mb() { awk -v k="$1:" '$1 == k {printf "%.1f", $2 / 1024}' "/proc/$2/status"; }
for p in $(seq 1 "$pairs"); do
  for cfg in "$@"; do
    IFS='|' read -r label java jar opts <<<"$cfg"
    rm -rf "$work/a"; mkdir -p "$work/a/events"
    env NODE_NAME=cmp HA_DIAG_EVENTS_DIR="$work/a/events" HA_DIAG_DB="$work/a/agent.db" HA_DIAG_BIND=127.0.0.1 \
      HA_DIAG_PORT=21098 JAVA="$java" HA_DIAG_JAR="$jar" HA_DIAG_JAVA_OPTS="$opts" bin/ha-diag run >"$work/a/log" 2>&1 &
    pid=$!
    sleep "${SECS:-65}"
    printf '%s pair %s %-28s rss %s MB (anon %s, file %s), %s threads, load %s\n' "$(date -u +%H:%M:%S)" "$p" "$label" "$(mb VmRSS $pid)" \
      "$(mb RssAnon $pid)" "$(mb RssFile $pid)" "$(ls /proc/$pid/task | wc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
    [[ -n "${KEEP_LOG:-}" ]] && tail -3 "$work/a/log"
    [[ -n "${THREADS:-}" ]] && echo "  threads: $(sed 's/[0-9]*$/N/' /proc/$pid/task/*/comm | sort | uniq -c | tr -s ' \n' ' ')"
    kill $pid; wait $pid 2>/dev/null; pid=
  done
done
