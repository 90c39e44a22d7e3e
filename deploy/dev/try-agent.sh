#!/usr/bin/env bash
# Runs the agent against the throwaway Home Assistant of deploy/dev/ha-dev.sh: a first look in one command.
#   deploy/dev/try-agent.sh        # Ctrl-C stops the agent; 'deploy/dev/ha-dev.sh stop' stops HA
# Events go to ./ha-diag-try/events, the database to ./ha-diag-try/ha_diag.db, the HTTP API to 127.0.0.1:8087.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$root/ha-diag-app/target/ha-diag.jar"
[[ -f "$jar" ]] || { echo "try-agent: building $jar first" >&2; (cd "$root" && ./mvnw -B -q package -DskipTests); }

bash "$here/ha-dev.sh" install >&2
eval "$(bash "$here/ha-dev.sh" start)"
export HA_URL HA_TOKEN
export NODE_NAME="${NODE_NAME:-try}"
export LOCATION_TAG="${LOCATION_TAG:-try}"
export HA_DIAG_EVENTS_DIR="${HA_DIAG_EVENTS_DIR:-$PWD/ha-diag-try/events}"
export HA_DIAG_DB="${HA_DIAG_DB:-$PWD/ha-diag-try/ha_diag.db}"
export HA_DIAG_BIND="${HA_DIAG_BIND:-127.0.0.1}"
export HA_DIAG_PORT="${HA_DIAG_PORT:-8087}"
export HA_DIAG_LOG_FORMAT="${HA_DIAG_LOG_FORMAT:-console}"

cat >&2 <<MSG
try-agent: Home Assistant at $HA_URL (user ha-diag, see docs/testing.md), agent on http://$HA_DIAG_BIND:$HA_DIAG_PORT
try-agent: in another shell:
  curl -s http://$HA_DIAG_BIND:$HA_DIAG_PORT/health
  java -jar $jar events list --events-dir $HA_DIAG_EVENTS_DIR
MSG
exec java -jar "$jar" run
