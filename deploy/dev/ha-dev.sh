#!/usr/bin/env bash
# A real Home Assistant (and an MQTT broker) as local processes, for development and tests.
#
#   deploy/dev/ha-dev.sh install            install HA: a cached venv, or for 2026.11.0 the cached chroot (once;
#                                           seconds afterwards)
#   deploy/dev/ha-dev.sh start [STATE_DIR]  start mosquitto + HA on free loopback ports, onboard, print
#                                           HA_URL=… HA_TOKEN=… HA_MQTT_PORT=… (also in STATE_DIR/ha.env);
#                                           a STATE_DIR set up before is started again with the same token
#   deploy/dev/ha-dev.sh stop [STATE_DIR]   stop both
#   deploy/dev/ha-dev.sh ha-stop|ha-start|mqtt-stop|mqtt-start [STATE_DIR]   one process at a time (tests)
#   deploy/dev/ha-dev.sh ha-kill [STATE_DIR]  SIGKILL HA, as a crash would
#   deploy/dev/ha-dev.sh env [STATE_DIR]    print the settings of a started instance
#   deploy/dev/ha-dev.sh installed          exit 0 if HA_DIAG_HA_VERSION is installed (the tests ask before starting one)
#   deploy/dev/ha-dev.sh image              (2026.11.0) build the local image ghcr.io/home-assistant/home-assistant:VERSION
#                                           with podman, from the same root filesystem (once; cached by its label)
#
# Environment: HA_DIAG_HA_VERSION (2024.3.3, the default and oldest supported, or 2026.11.0, the current one;
# a version needs its pinned deploy/dev/ha-requirements-VERSION.txt), HA_DIAG_HA_STATE (default state dir,
# default ${TMPDIR:-/tmp}/ha-diag-dev-ha), PYTHON (default python3).
# 2024.3.3 runs in a venv of this machine's Python 3.11 (HA_DIAG_HA_VENV, default ~/.cache/ha-diag/ha-2024.3.3-py3.11).
# Later versions need Python >= 3.14 and run in a Debian testing ("forky") root filesystem entered with chroot
# (HA_DIAG_HA_ROOTFS, default ~/.cache/ha-diag/rootfs-forky; HA in its /opt/ha-VERSION): root only. Each chroot
# process gets its own mount namespace, so its /proc, /dev and state-directory mounts vanish with it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-python3}

select_version() {
  HA_VERSION=$1
  requirements=$here/ha-requirements-$HA_VERSION.txt
  case "$HA_VERSION" in
    2024.3.3)
      rootfs=""
      venv=${HA_DIAG_HA_VENV:-$HOME/.cache/ha-diag/ha-$HA_VERSION-py3.11} ;;
    *)
      rootfs=${HA_DIAG_HA_ROOTFS:-$HOME/.cache/ha-diag/rootfs-forky}
      venv=/opt/ha-$HA_VERSION ;;  # inside the root filesystem
  esac
}
select_version "${HA_DIAG_HA_VERSION:-2024.3.3}"
rootfs_packages=python3,python3-venv,python3-dev,ca-certificates,gcc,g++,libc6-dev,mosquitto

die() { echo "ha-dev: $*" >&2; exit 1; }

state_dir() { echo "${1:-${HA_DIAG_HA_STATE:-${TMPDIR:-/tmp}/ha-diag-dev-ha}}"; }

# The command prefix that runs a program of HA's environment (e.g. "$venv/bin/hass") with the state directory
# DIR reachable at the same path: none for a venv. In the chroot, a private mount namespace holds /proc, /dev
# and DIR, all gone when the process ends. Used as "${ha_env[@]}" program args: a plain command whose every
# step execs the next, so "$!" of a background start is the program's own pid (signals reach hass directly).
ha_env_for() { # dir
  ha_env=()
  [[ -z "$rootfs" ]] && return 0
  # shellcheck disable=SC2016
  ha_env=(unshare --mount --propagation private -- sh -c '
      root=$1 dir=$2; shift 2
      mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" || exit 1
      if [ -n "$dir" ]; then mkdir -p "$root$dir" && mount --bind "$dir" "$root$dir" || exit 1; fi
      exec chroot "$root" "$@"' sh "$rootfs" "$1")
}

installed() { [[ -x "$rootfs$venv/bin/hass" && -f "$rootfs$venv/.ha-diag-installed" ]]; }

install() {
  [[ -f "$requirements" ]] || die "Home Assistant $HA_VERSION is not supported here (no $requirements)"
  local stamp="$rootfs$venv/.ha-diag-installed" want
  want="$HA_VERSION $(sha256sum "$requirements" | cut -c1-16)"
  if [[ -n "$rootfs" ]]; then
    [[ $(id -u) -eq 0 ]] || die "Home Assistant $HA_VERSION runs in a chroot: run as root"
    bash "$here/debian-rootfs.sh" forky "$rootfs" "$rootfs_packages" >/dev/null
    # The host's name resolution and CA bundle: pip needs both (a minbase rootfs has no CA certificates of its own).
    cp /etc/resolv.conf /etc/hosts "$rootfs/etc/"
    mkdir -p "$rootfs/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
  fi
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "ha-dev: Home Assistant $HA_VERSION already installed in $rootfs$venv"
  else
    local py=python3 pip_log
    if [[ -z "$rootfs" ]]; then
      py=$python
      "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
        || die "Home Assistant $HA_VERSION needs Python 3.11 ($py is $("$py" --version 2>&1))"
    fi
    rm -rf "$rootfs$venv"
    ha_env_for ""
    pip_log=$(mktemp)
    {
      "${ha_env[@]}" "$py" -m venv "$venv" &&
      "${ha_env[@]}" "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip wheel &&
      "${ha_env[@]}" "$venv/bin/pip" install -q --disable-pip-version-check "homeassistant==$HA_VERSION"
    } >"$pip_log" 2>&1 || { cat "$pip_log" >&2; die "could not install Home Assistant $HA_VERSION"; }
    local constraints
    constraints=$("${ha_env[@]}" "$venv/bin/python" -c 'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))')
    cp "$requirements" "$rootfs$venv/ha-diag-requirements.txt"
    "${ha_env[@]}" "$venv/bin/pip" install -q --disable-pip-version-check -c "$constraints" -r "$venv/ha-diag-requirements.txt" \
      >"$pip_log" 2>&1 || { cat "$pip_log" >&2; die "could not install the pinned requirements of $HA_VERSION"; }
    rm -f "$pip_log"
    echo "$want" > "$stamp"
    echo "ha-dev: installed Home Assistant $HA_VERSION in $rootfs$venv"
  fi
  if ! command -v mosquitto >/dev/null 2>&1 && [[ ! -x /usr/sbin/mosquitto ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      (apt-get -o DPkg::Lock::Timeout=600 install -y -q mosquitto >/dev/null 2>&1 || { apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null && apt-get -o DPkg::Lock::Timeout=600 install -y -q mosquitto >/dev/null; }) \
        || die "could not install mosquitto"
      systemctl disable --now mosquitto >/dev/null 2>&1 || true
    else
      die "mosquitto is missing: sudo apt-get install mosquitto"
    fi
  fi
}

# A local stand-in for the official image (no image registry is reachable here): the same root filesystem,
# imported into podman under the official name, so that Testcontainers (ContainerHomeAssistant) finds it
# without pulling. mosquitto is in it too: the tests run the MQTT broker as a second container of it.
image() {
  [[ -n "$rootfs" ]] || die "the container image is built for versions that run in the root filesystem (not $HA_VERSION)"
  command -v podman >/dev/null 2>&1 || die "podman is missing: run deploy/dev/podman-setup.sh"
  install
  local name=ghcr.io/home-assistant/home-assistant:$HA_VERSION want
  want="$(cat "$rootfs$venv/.ha-diag-installed") $(cat "$rootfs/.ha-diag-rootfs")"
  if [[ "$(podman image inspect --format '{{index .Config.Labels "ha-diag.stamp"}}' "$name" 2>/dev/null)" == "$want" ]]; then
    echo "ha-dev: image $name already built"
    return 0
  fi
  # Other versions' venvs and caches stay out; /proc and /dev are the runtime's.
  local excludes=(--exclude=./proc --exclude=./dev --exclude=./root/.cache --exclude=./tmp/*)
  for other in "$rootfs"/opt/ha-*; do
    [[ "$other" == "$rootfs$venv" ]] || excludes+=("--exclude=./opt/$(basename "$other")")
  done
  tar -C "$rootfs" -c "${excludes[@]}" . | podman import \
    --change "CMD [\"$venv/bin/hass\", \"-c\", \"/config\", \"--skip-pip\"]" --change "EXPOSE 8123" \
    --change "LABEL ha-diag.stamp=\"$want\"" - "$name" >/dev/null || die "podman import of $name failed"
  echo "ha-dev: built image $name"
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
  # A state directory keeps the version it was set up with, whatever HA_DIAG_HA_VERSION says now.
  [[ -n "${HA_VERSION:-}" ]] && select_version "$HA_VERSION"
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
  running "$dir/ha.pid" || hass_start "$dir"
  local expect_mqtt=()
  running "$dir/mosquitto.pid" && expect_mqtt=(--expect-mqtt)
  setup "$dir" --wait-only "${expect_mqtt[@]}" || die "Home Assistant did not come back (see $dir/ha.log)"
}

hass_start() {
  local dir=$1
  ha_env_for "$dir"
  "${ha_env[@]}" "$venv/bin/hass" -c "$dir/config" --skip-pip --log-file "$dir/ha.log" --log-no-color >>"$dir/hass.out" 2>&1 &
  echo $! > "$dir/ha.pid"
}

# ha_setup.py runs in HA's own Python (it uses HA's aiohttp): copied into the state directory, which the chroot sees.
setup() {
  local dir=$1; shift
  cp "$here/ha_setup.py" "$dir/ha_setup.py"
  ha_env_for "$dir"
  "${ha_env[@]}" "$venv/bin/python" "$dir/ha_setup.py" --url "$HA_URL" --mqtt-port "$HA_MQTT_PORT" \
    --token-file "$dir/token" --config "$dir/config/configuration.yaml" --pid "$(cat "$dir/ha.pid")" "$@"
}

start() {
  local dir=$1
  installed || die "Home Assistant $HA_VERSION is not installed: run HA_DIAG_HA_VERSION=$HA_VERSION $0 install"
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
    printf 'HA_URL=http://127.0.0.1:%s\nHA_MQTT_PORT=%s\nHA_VERSION=%s\n' "$ha_port" "$mqtt_port" "$HA_VERSION" > "$dir/ha.env.partial"
    mv "$dir/ha.env.partial" "$dir/ha.env"
    load_env "$dir"
    mqtt_start "$dir"
    hass_start "$dir"
    setup "$dir" || { stop "$dir"; rm -f "$dir/ha.env"; die "Home Assistant setup failed (see $dir/ha.log)"; }
    if ! grep -q '^http:' "$dir/config/configuration.yaml"; then
      # HA 2026.11+ took over the http: settings (ha_setup.py confirmed them and dropped them from the YAML).
      # Its first start raised repairs about that migration itself (http/deprecated_yaml, and MQTT's
      # yaml_setup_without_active_setup, since the MQTT entry came after the YAML was read): one restart, as a
      # user's next start would, clears them, so tests see the instance a user runs. About 7 s.
      stop_pid "$dir/ha.pid" TERM
      ha_start "$dir"
    fi
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
  # The empty mount point the chroot had for the state directory (its mount went with the namespace).
  [[ -f "$dir/ha.env" ]] && load_env "$dir"
  if [[ -n "$rootfs" && -d "$rootfs$dir" ]]; then rmdir "$rootfs$dir" 2>/dev/null || true; fi
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
  install) install ;;
  image) image ;;
  installed) installed || { echo "Home Assistant $HA_VERSION is not installed (run: HA_DIAG_HA_VERSION=$HA_VERSION $0 install)"; exit 1; } ;;
  start) start "$(state_dir "${1:-}")" ;;
  stop) stop "$(state_dir "${1:-}")" ;;
  ha-stop) stop_pid "$(state_dir "${1:-}")/ha.pid" TERM ;;
  ha-kill) stop_pid "$(state_dir "${1:-}")/ha.pid" KILL ;;
  ha-start) ha_start "$(state_dir "${1:-}")" ;;
  mqtt-stop) stop_pid "$(state_dir "${1:-}")/mosquitto.pid" TERM ;;
  mqtt-start) mqtt_start "$(state_dir "${1:-}")" ;;
  env) d=$(state_dir "${1:-}"); load_env "$d"; echo "HA_URL=$HA_URL"; echo "HA_TOKEN=$(cat "$d/token")"; echo "HA_MQTT_PORT=$HA_MQTT_PORT" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; [[ -z "$command" || "$command" == -h || "$command" == --help ]] || exit 2 ;;
esac
