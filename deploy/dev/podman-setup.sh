#!/usr/bin/env bash
# A Docker-compatible container engine for development and CI: podman with its API socket.
#
#   sudo deploy/dev/podman-setup.sh     install podman + runc (and docker-compose 1.29, which talks to
#                                       the socket), write /etc/containers/containers.conf, start the
#                                       API socket; prints the DOCKER_HOST=… line to export
#
# Idempotent: a second run only checks that the socket answers. Root only (packages, /etc, /run).
# Why these settings (see shared/reference/containers.md): this sandbox lacks CAP_SYS_RESOURCE, so the
# default ulimits must be lowered, not raised; its cgroups are hybrid, which crun refuses (runc works);
# there is no systemd as PID 1 (cgroupfs, file events logger).
set -euo pipefail

socket=${HA_DIAG_PODMAN_SOCKET:-/run/podman/podman.sock}
conf=/etc/containers/containers.conf

die() { echo "podman-setup: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root (installs packages and writes $conf)"

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]} == 0)) && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >/dev/null
  } || die "could not install ${missing[*]}"
}

apt_install podman buildah runc docker-compose

mkdir -p /etc/containers
want=$(cat <<'CONF'
# Written by ha-diag deploy/dev/podman-setup.sh
[containers]
default_ulimits = ["nofile=10000:10000", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
)
if [[ ! -f "$conf" || "$(cat "$conf")" != "$want" ]]; then
  [[ -f "$conf" ]] && ! grep -q 'ha-diag deploy/dev/podman-setup.sh' "$conf" && cp "$conf" "$conf.before-ha-diag"
  printf '%s\n' "$want" > "$conf"
fi

ping() { curl -fsS --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; }
# A service started from a directory that was deleted since (a CI clone removed after its run) still answers,
# but every container start fails: conmon inherits the cwd ("Failed to get working directory"). Restart it.
for pid in $(pgrep -f "podman system service.*$socket" || true); do
  if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == *" (deleted)" ]]; then
    kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
done
if ! ping; then
  mkdir -p "$(dirname "$socket")"
  rm -f "$socket"
  # The service outlives this script: it must not inherit the caller's open files (a `flock LOCK cmd`
  # caller's lock would stay held by the service for as long as it runs).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-"
    done
    cd / # nor its working directory, which may be a clone deleted while the service runs on
    exec nohup podman system service --time=0 "unix://$socket" </dev/null >/var/log/ha-diag-podman-service.log 2>&1
  ) &
  for _ in $(seq 1 100); do ping && break; sleep 0.1; done
  ping || die "the podman API socket did not answer (see /var/log/ha-diag-podman-service.log)"
fi

echo "DOCKER_HOST=unix://$socket"
echo "TESTCONTAINERS_RYUK_DISABLED=true"
