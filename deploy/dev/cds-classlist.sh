#!/usr/bin/env bash
# Makes bin/ha-diag.classlist, the classes bin/ha-diag-cds puts in the class-data archive: those that a
# `check` (all checks, text and --json), `check --agent` and an agent `run` (its first cycle of every check and the WebSocket connect) load
# against the real test HA of ha-dev.sh. Run it after changes that load other classes (new libraries, new
# checks); a list older than the jar still works, its missing classes are only not archived.
#
#   flock /tmp/ha-diag-mvn.lock deploy/dev/cds-classlist.sh
#
# With HA_URL and HA_TOKEN set it uses that HA instead of starting the test HA (e.g. the 20,000-entity HA of
# `bench.sh ha-cost --hold`; the classes a check loads do not depend on the number of entities).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
[[ "${BENCH_NO_BUILD:-}" == 1 ]] || ./mvnw -B -o -q -DskipTests -pl ha-diag-app -am package >&2
work=$(mktemp -d /tmp/ha-diag-classlist-XXXXXX)
trap 'kill "${agent:-0}" 2>/dev/null || true; bash "$here/ha-dev.sh" stop "$work/ha" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
if [[ -z "${HA_URL:-}" || -z "${HA_TOKEN:-}" ]]; then
  bash "$here/ha-dev.sh" install >&2
  eval "$(bash "$here/ha-dev.sh" start "$work/ha" | sed 's/^/export /')"
fi
export NODE_NAME=classlist HA_DIAG_EVENTS_DIR=$work/events HA_DIAG_DB=$work/agent.db HA_DIAG_BIND=127.0.0.1
export HA_DIAG_PORT=$((20000 + RANDOM % 20000))
mkdir -p "$work/events"
jar=ha-diag-app/target/ha-diag.jar
java -XX:DumpLoadedClassList="$work/check.classlist" -jar "$jar" check --no-emit >/dev/null || true  # findings exit non-zero
java -XX:DumpLoadedClassList="$work/json.classlist" -jar "$jar" check --json --no-emit >/dev/null || true
java -XX:DumpLoadedClassList="$work/run.classlist" -jar "$jar" run >"$work/agent.log" 2>&1 &
agent=$!
for _ in $(seq 1 240); do  # every check has run once and the WebSocket is up
  if curl -fsS "http://127.0.0.1:$HA_DIAG_PORT/checks" 2>/dev/null | python3 -c '
import json, sys
checks = json.load(sys.stdin)["checks"]
sys.exit(0 if all(c["last_run"] for c in checks if c["enabled"]) else 1)' \
     && curl -fsS "http://127.0.0.1:$HA_DIAG_PORT/health" | grep -q '"ws_connected":true'; then
    break
  fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$HA_DIAG_PORT/metrics" >/dev/null
java -XX:DumpLoadedClassList="$work/agent-mode.classlist" -jar "$jar" check --agent "http://127.0.0.1:$HA_DIAG_PORT" >/dev/null || true
kill -TERM "$agent" && wait "$agent" || true
# The union, in order of first loading; the JVM's header comment once.
{ grep -h '^#' "$work/check.classlist" | head -5; cat "$work"/{check,json,run,agent-mode}.classlist | grep -v '^#' | awk '!seen[$0]++'; } \
  > bin/ha-diag.classlist
echo "bin/ha-diag.classlist: $(grep -vc '^#' bin/ha-diag.classlist) classes" >&2
