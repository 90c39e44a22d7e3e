#!/usr/bin/env bash
# A real Home Assistant (and an MQTT broker) as local processes, for development and tests.
#
#   deploy/dev/ha-dev.sh install            install HA into a cached venv (once; seconds afterwards)
#   deploy/dev/ha-dev.sh start [STATE_DIR]  start mosquitto + HA on free loopback ports, onboard, print
#                                           HA_URL=… HA_TOKEN=… HA_MQTT_PORT=… (also in STATE_DIR/ha.env);
#                                           a STATE_DIR set up before is started again with the same token
#   deploy/dev/ha-dev.sh stop [STATE_DIR]   stop both
#   deploy/dev/ha-dev.sh ha-stop|ha-start|mqtt-stop|mqtt-start [STATE_DIR]   one process at a time (tests)
#   deploy/dev/ha-dev.sh ha-kill [STATE_DIR]  SIGKILL HA, as a crash would
#   deploy/dev/ha-dev.sh env [STATE_DIR]    print the settings of a started instance
#
# Environment: HA_DIAG_HA_VENV (venv, default ~/.cache/ha-diag/ha-2024.3.3-py3.11),
# HA_DIAG_HA_STATE (default state dir, default ${TMPDIR:-/tmp}/ha-diag-dev-ha), PYTHON (default python3).
set -euo pipefail

HA_VERSION=2024.3.3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${HA_DIAG_HA_VENV:-$HOME/.cache/ha-diag/ha-$HA_VERSION-py3.11}
python=${PYTHON:-python3}

die() { echo "ha-dev: $*" >&2; exit 1; }

state_dir() { echo "${1:-${HA_DIAG_HA_STATE:-${TMPDIR:-/tmp}/ha-diag-dev-ha}}"; }

install() {
  local stamp="$venv/.ha-diag-installed" want
  want="$HA_VERSION $(sha256sum "$here/ha-requirements.txt" | cut -c1-16)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "ha-dev: Home Assistant $HA_VERSION already installed in $venv"
  else
    "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
      || die "Home Assistant $HA_VERSION needs Python 3.11 ($python is $("$python" --version 2>&1))"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip wheel
    "$venv/bin/pip" install -q --disable-pip-version-check "homeassistant==$HA_VERSION"
    local constraints
    constraints=$("$venv/bin/python" -c 'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))')
    "$venv/bin/pip" install -q --disable-pip-version-check -c "$constraints" -r "$here/ha-requirements.txt"
    echo "$want" > "$stamp"
    echo "ha-dev: installed Home Assistant $HA_VERSION in $venv"
  fi
  if ! command -v mosquitto >/dev/null 2>&1 && [[ ! -x /usr/sbin/mosquitto ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      (apt-get install -y -q mosquitto >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q mosquitto >/dev/null; }) \
        || die "could not install mosquitto"
      systemctl disable --now mosquitto >/dev/null 2>&1 || true
    else
      die "mosquitto is missing: sudo apt-get install mosquitto"
    fi
  fi
}

mosquitto_bin() { command -v mosquitto 2>/dev/null || echo /usr/sbin/mosquitto; }

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() { # pidfile signal
  local pidfile=$1 signal=${2:-TERM} pid
  running "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

load_env() {
  local dir=$1
  [[ -f "$dir/ha.env" ]] || die "no Home Assistant was set up in $dir (run: $0 start $dir)"
  # shellcheck disable=SC1091
  source "$dir/ha.env"
}

mqtt_start() {
  local dir=$1
  load_env "$dir"
  running "$dir/mosquitto.pid" && return 0
  "$(mosquitto_bin)" -c "$dir/mosquitto.conf" >>"$dir/mosquitto.log" 2>&1 &
  echo $! > "$dir/mosquitto.pid"
  for _ in $(seq 1 100); do
    "$python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $HA_MQTT_PORT), 0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  die "mosquitto did not listen on $HA_MQTT_PORT (see $dir/mosquitto.log)"
}

ha_start() {
  local dir=$1
  load_env "$dir"
  if ! running "$dir/ha.pid"; then
    "$venv/bin/hass" -c "$dir/config" --skip-pip --log-file "$dir/ha.log" --log-no-color >>"$dir/hass.out" 2>&1 &
    echo $! > "$dir/ha.pid"
  fi
  local expect_mqtt=()
  running "$dir/mosquitto.pid" && expect_mqtt=(--expect-mqtt)
  "$venv/bin/python" "$here/ha_setup.py" --url "$HA_URL" --mqtt-port "$HA_MQTT_PORT" \
    --token-file "$dir/token" --wait-only "${expect_mqtt[@]}" || die "Home Assistant did not come back (see $dir/ha.log)"
}

start() {
  local dir=$1
  [[ -x "$venv/bin/hass" ]] || die "Home Assistant is not installed: run $0 install"
  if [[ -f "$dir/ha.env" ]]; then
    mqtt_start "$dir"
    ha_start "$dir"
  else
    mkdir -p "$dir/config" "$dir/mosquitto"
    local ha_port mqtt_port
    ha_port=$(free_port); mqtt_port=$(free_port)
    while [[ "$mqtt_port" == "$ha_port" ]]; do mqtt_port=$(free_port); done
    sed -e "s/@HA_PORT@/$ha_port/" -e "s/@MQTT_PORT@/$mqtt_port/" "$here/ha-config/configuration.yaml" > "$dir/config/configuration.yaml"
    # "user": mosquitto started by root drops to user "mosquitto", which cannot write the retained messages
    # to this private directory, so a broker restart would lose them. Naming the current user keeps it.
    cat > "$dir/mosquitto.conf" <<CONF
user $(id -un)
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $dir/mosquitto/
CONF
    printf 'HA_URL=http://127.0.0.1:%s\nHA_MQTT_PORT=%s\n' "$ha_port" "$mqtt_port" > "$dir/ha.env.partial"
    mv "$dir/ha.env.partial" "$dir/ha.env"
    load_env "$dir"
    mqtt_start "$dir"
    "$venv/bin/hass" -c "$dir/config" --skip-pip --log-file "$dir/ha.log" --log-no-color >>"$dir/hass.out" 2>&1 &
    echo $! > "$dir/ha.pid"
    "$venv/bin/python" "$here/ha_setup.py" --url "$HA_URL" --mqtt-port "$HA_MQTT_PORT" --token-file "$dir/token" \
      || { stop "$dir"; rm -f "$dir/ha.env"; die "Home Assistant setup failed (see $dir/ha.log)"; }
  fi
  echo "HA_URL=$HA_URL"
  echo "HA_TOKEN=$(cat "$dir/token")"
  echo "HA_MQTT_PORT=$HA_MQTT_PORT"
  echo "HA_STATE_DIR=$dir"
}

stop() {
  local dir=$1
  stop_pid "$dir/ha.pid" TERM
  stop_pid "$dir/mosquitto.pid" TERM
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
  install) install ;;
  start) start "$(state_dir "${1:-}")" ;;
  stop) stop "$(state_dir "${1:-}")" ;;
  ha-stop) stop_pid "$(state_dir "${1:-}")/ha.pid" TERM ;;
  ha-kill) stop_pid "$(state_dir "${1:-}")/ha.pid" KILL ;;
  ha-start) ha_start "$(state_dir "${1:-}")" ;;
  mqtt-stop) stop_pid "$(state_dir "${1:-}")/mosquitto.pid" TERM ;;
  mqtt-start) mqtt_start "$(state_dir "${1:-}")" ;;
  env) d=$(state_dir "${1:-}"); load_env "$d"; echo "HA_URL=$HA_URL"; echo "HA_TOKEN=$(cat "$d/token")"; echo "HA_MQTT_PORT=$HA_MQTT_PORT" ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; [[ -z "$command" || "$command" == -h || "$command" == --help ]] || exit 2 ;;
esac
