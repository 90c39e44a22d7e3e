#!/usr/bin/env bash
# docs/fleet.md, "Brokers tried": a relay (--once, one open alert) and the fleet against MQTT brokers other than
# mosquitto that install here: amqtt (PyPI, a venv under ~/.cache/ha-diag) and Moquette (Maven Central, run from its
# jars). Prints, per broker, the relay's exit code and last log lines, and the fleet's /health and /fleet after 10 s.
# Needs the jar (./mvnw -B -q -DskipTests package). Starts brokers and JVMs: run it under the shared lock.
#   deploy/dev/fleet-brokers.sh [amqtt|moquette]...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/ha-diag-app/target/ha-diag.jar
cache=${XDG_CACHE_HOME:-$HOME/.cache}/ha-diag
work=$(mktemp -d /tmp/ha-diag-brokers-XXXXXX)
pids=()
version=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
listening() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; return 1; }

start_amqtt() { # port
  [[ -x "$cache/amqtt/bin/amqtt" ]] || { python3 -m venv "$cache/amqtt" && "$cache/amqtt/bin/pip" install -q amqtt; } >&2
  cat >"$work/amqtt.yaml" <<EOF
listeners:
  default:
    type: tcp
    bind: 127.0.0.1:$1
plugins:
  amqtt.plugins.authentication.AnonymousAuthPlugin:
    allow_anonymous: true
EOF
  "$cache/amqtt/bin/amqtt" -c "$work/amqtt.yaml" >"$work/broker.log" 2>&1 &
  pids+=($!)
  version="amqtt $("$cache/amqtt/bin/pip" show amqtt | sed -n 's/^Version: //p')"
}

start_moquette() { # port
  if [[ ! -s "$cache/moquette/cp.txt" ]]; then
    mkdir -p "$cache/moquette"
    cat >"$cache/moquette/pom.xml" <<'EOF'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.try</groupId><artifactId>moquette-run</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.moquette</groupId><artifactId>moquette-broker</artifactId><version>0.17</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
EOF
    "$root/mvnw" -B -q -f "$cache/moquette/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache/moquette/cp.txt" >&2
  fi
  mkdir -p "$work/moquette/config" "$work/moquette/data"
  printf 'port %s\nhost 127.0.0.1\nallow_anonymous true\npersistence_enabled false\ntelemetry_enabled false\ndata_path %s\n' "$1" "$work/moquette/data" \
    >"$work/moquette/config/moquette.conf"
  (cd "$work/moquette" && exec java -Xmx128m -Dmoquette.path="$work/moquette" -cp "$(cat "$cache/moquette/cp.txt")" \
    io.moquette.broker.Server >"$work/broker.log" 2>&1) &
  pids+=($!)
  version="Moquette 0.17"
}

try_broker() { # name
  local port events fleet_port
  port=$(free_port)
  "start_$1" "$port"
  listening "$port" || { echo "$version: does not listen on $port"; tail -5 "$work/broker.log"; return; }
  events=$work/events-$1
  python3 - "$events" <<'EOF'
import json, os, sys, uuid
from datetime import datetime, timezone
at = datetime.now(timezone.utc)
directory = os.path.join(sys.argv[1], at.strftime("%Y-%m-%d"), "node-try")
os.makedirs(directory)
event = {"timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "node": "node-try", "type": "ha_integration_failed", "severity": "error",
         "source": "ha-diag-agent", "service": "homeassistant", "correlation_id": str(uuid.uuid4()),
         "payload": {"alert_key": "ha_integration_failed:integration:zha", "summary": "zha failed"}}
with open(os.path.join(directory, at.strftime("%Y%m%dT%H%M%S.000Z") + "_ha_integration_failed_" + str(uuid.uuid4()) + ".json"), "w") as out:
    json.dump(event, out)
EOF
  echo "== $version on 127.0.0.1:$port"
  local rc=0
  NODE_NAME=node-try HA_DIAG_JAR=$jar timeout 60 "$root/bin/ha-diag" relay --once --events-dir "$events" --state "$work/relay-$1.db" \
    --mqtt-url "mqtt://127.0.0.1:$port" >"$work/relay.log" 2>&1 || rc=$?
  echo "relay --once: exit $rc"; grep -v '^\s*at ' "$work/relay.log" | tail -3 || true
  fleet_port=$(free_port)
  NODE_NAME=fleet-try HA_DIAG_JAR=$jar HA_DIAG_BIND=127.0.0.1 HA_DIAG_PORT=$fleet_port "$root/bin/ha-diag" fleet \
    --mqtt-url "mqtt://127.0.0.1:$port" --events-dir "$work/fleet-events-$1" >"$work/fleet.log" 2>&1 &
  local fleet=$!
  pids+=("$fleet")
  sleep 10
  echo "fleet /health: $(curl -s "http://127.0.0.1:$fleet_port/health")"
  echo "fleet /fleet:  $(curl -s "http://127.0.0.1:$fleet_port/fleet" | cut -c1-400)"
  { grep -i 'mqtt\|broker' "$work/fleet.log" | grep -v '^\s*at ' | tail -3; } || true
  kill "$fleet" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  echo "broker log (last lines):"; tail -4 "$work/broker.log"
}

for broker in "${@:-amqtt moquette}"; do
  for one in $broker; do try_broker "$one"; done
done
