#!/usr/bin/env bash
# Idle RSS of the agent under different JVM flags, side by side (docs/performance.md, section 5, "flags tried"):
# starts the real test HA (ha-dev.sh), then one agent per argument at once through bin/ha-diag with those
# flags in HA_DIAG_JAVA_OPTS ("" = as shipped), and after SECONDS reads each one's VmRSS, RssAnon, RssFile
# and thread count. Agents started together share the machine, so a difference of 1 MB is noise.
#
#   flock /tmp/ha-diag-mvn.lock deploy/dev/flags-rss.sh SECONDS "" "-XX:CICompilerCount=1" ...
#   SMAPS=1 ...   also the first agent's resident memory per mapping;   NMT=1 ... its NMT summary
#                 (give that agent -XX:NativeMemoryTracking=summary)
# Run bin/ha-diag-cds after building, or the launcher runs without its archive.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
secs=$1; shift
work=$(mktemp -d /tmp/ha-diag-flags-rss-XXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; bash "$here/ha-dev.sh" stop "$work/ha" >/dev/null 2>&1; rm -rf "$work"' EXIT
eval "$(bash "$here/ha-dev.sh" start "$work/ha" | grep -E '^HA_(URL|TOKEN)=' | sed 's/^/export /')"
i=0
for opts in "$@"; do
  i=$((i + 1)); mkdir -p "$work/a$i/events"
  env NODE_NAME=rss$i HA_DIAG_EVENTS_DIR="$work/a$i/events" HA_DIAG_DB="$work/a$i/agent.db" HA_DIAG_BIND=127.0.0.1 \
    HA_DIAG_PORT=$((21000 + i)) HA_DIAG_JAVA_OPTS="$opts" bin/ha-diag run >"$work/a$i/log" 2>&1 &
  pids+=($!)
done
sleep "$secs"
mb() { awk -v k="$1:" '$1 == k {printf "%.1f", $2 / 1024}' "/proc/$2/status"; }
i=0
for opts in "$@"; do
  pid=${pids[$i]}; i=$((i + 1))
  printf '%-60s rss %s MB (anon %s, file %s), %s threads\n' "${opts:-(as shipped)}" "$(mb VmRSS "$pid")" \
    "$(mb RssAnon "$pid")" "$(mb RssFile "$pid")" "$(ls "/proc/$pid/task" | wc -l)"
done
if [[ -n "${SMAPS:-}" ]]; then
  awk '/^[0-9a-f]+-[0-9a-f]+ / {m = (NF >= 6 ? $6 : "[anon]")} /^Rss:/ {r[m] += $2}
       END {for (m in r) printf "%8.1f MB %s\n", r[m] / 1024, m}' "/proc/${pids[0]}/smaps" | sort -rn | head -12
fi
[[ -z "${NMT:-}" ]] || jcmd "${pids[0]}" VM.native_memory summary | grep -E '^-|committed' | head -40
