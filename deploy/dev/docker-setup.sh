#!/usr/bin/env bash
# A real Docker Engine beside podman, for DockerEngineComposeIT: Debian's docker.io 20.10 and docker-compose 1.29.2,
# what Debian hosts (the seed's chelsty-infra) run, whose docker-compose builds with Docker's classic builder.
#
#   sudo deploy/dev/docker-setup.sh     install docker.io + docker-compose, start dockerd (its own socket, beside
#                                       podman's), give it the stand-in base images of deploy/dev/image.sh under
#                                       the upstream names deploy/Dockerfile's FROM lines use; prints
#                                       HA_DIAG_DOCKER_HOST=unix://… to export, or, where no engine can start here,
#                                       HA_DIAG_DOCKER_UNAVAILABLE=<why> (the test then skips with that reason)
#
# Idempotent: a second run checks that the engine answers and that its base images are the current stand-ins.
# Root only. Run deploy/dev/image.sh first (it builds the stand-ins, with podman).
#
# dockerd leaves the host's network alone (shared/reference/containers.md): no iptables rules, no masquerading, no
# docker0 bridge. A compose project's own network still works (docker-compose creates it), and a port published on
# 127.0.0.1 is served by docker-proxy, Docker's userland proxy. Containers reach nothing outside, so no registry:
# the stand-ins come from podman (podman save | docker load).
# Its images and build cache are kept in $HA_DIAG_CACHE/docker (default /root/.cache/ha-diag/docker), so a second CI
# run on the same machine reuses the build's layers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${HA_DIAG_CACHE:-/root/.cache/ha-diag}
state=$cache/docker
run=${HA_DIAG_DOCKER_RUN:-/run/ha-diag-docker}  # short: containerd's sockets live under the exec root
socket=$run/docker.sock

die() { echo "docker-setup: $*" >&2; exit 1; }
# Quoted for the caller's eval (.ci/run: eval "$(… | sed 's/^/export /')").
unavailable() { echo "docker-setup: no Docker Engine here: $*" >&2; printf 'HA_DIAG_DOCKER_UNAVAILABLE=%q\n' "$*"; exit 0; }
[[ $(id -u) -eq 0 ]] || die "run as root (installs packages, starts dockerd)"
command -v podman >/dev/null || die "podman is missing: run deploy/dev/podman-setup.sh and deploy/dev/image.sh first"

missing=()
for pkg in docker.io docker-compose; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if ((${#missing[@]} > 0)); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >/dev/null
  } || die "could not install ${missing[*]}"
  # The package's own service would start dockerd on docker0 with iptables: keep it off.
  systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
fi
# Debian's CLI, 20.10, as a Debian host has it (/usr/local/bin may hold a newer one).
docker=/usr/bin/docker
[[ -x $docker && -x /usr/sbin/dockerd ]] || die "docker.io did not install /usr/bin/docker and /usr/sbin/dockerd"
d() { DOCKER_HOST=unix://$socket "$docker" "$@"; }

ping() { curl -fsS --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; }
if ! ping; then
  mkdir -p "$state/root" "$run"
  [[ -f $run/docker.pid ]] && kill "$(cat "$run/docker.pid")" 2>/dev/null || true
  rm -f "$socket" "$run/docker.pid"
  (
    # Outlives this script: no inherited open files (a flock caller's lock) and no working directory that a CI
    # clone's removal could delete under it.
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-"
    done
    cd /
    exec nohup /usr/sbin/dockerd --iptables=false --ip-masq=false --bridge=none \
      --data-root "$state/root" --exec-root "$run/exec" -H "unix://$socket" --pidfile "$run/docker.pid" \
      </dev/null >/var/log/ha-diag-dockerd.log 2>&1
  ) &
  for _ in $(seq 1 300); do ping && break; sleep 0.1; done
  ping || unavailable "dockerd did not answer within 30 s ($(tail -n 1 /var/log/ha-diag-dockerd.log 2>/dev/null))"
fi
# standin NAME UPSTREAM: the podman stand-in under the upstream name, loaded again only when podman's changed.
standin() {
  local name=$1 upstream=$2 stamp
  stamp=$(podman image inspect --format '{{index .Labels "ha-diag.rootfs"}}' "$name" 2>/dev/null) \
    || die "$name is not built: run deploy/dev/image.sh first"
  if [[ "$(d image inspect --format '{{index .Config.Labels "ha-diag.rootfs"}}' "$name" 2>/dev/null)" != "$stamp" ]]; then
    podman save "$name" | d load >/dev/null
    echo "docker-setup: loaded $name" >&2
  fi
  [[ "$(d image inspect --format '{{.Id}}' "$upstream" 2>/dev/null)" == "$(d image inspect --format '{{.Id}}' "$name")" ]] \
    || d tag "$name" "$upstream"
}
standin localhost/ha-diag-standin-runtime:bookworm debian:bookworm-slim
# A container must run: cgroups, seccomp or the runtime can refuse where the daemon started.
d run --rm --network none debian:bookworm-slim true >/dev/null 2>&1 \
  || unavailable "dockerd runs but cannot start a container: $(d run --rm --network none debian:bookworm-slim true 2>&1 | tail -n 1)"

# The build stage's stand-in: the podman one plus the Maven repository of this machine (~/.m2, what image.sh and the
# tests' build downloaded), because a build container here reaches no Maven repository. Upstream's maven image
# downloads instead. Docker's layer cache keeps it while the repository's files stay the same.
standin localhost/ha-diag-standin-build:bookworm localhost/ha-diag-standin-build-docker-base:bookworm
[[ -d $HOME/.m2/repository ]] || die "$HOME/.m2/repository is missing: run deploy/dev/image.sh (or a Maven build) first"
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
printf '%s\n' 'FROM localhost/ha-diag-standin-build-docker-base:bookworm' 'COPY repository /root/.m2/repository' > "$context/Dockerfile"
# Not this project's own artifacts (the build makes them), nor Maven's bookkeeping that changes at every run.
tar -c -C "$context" Dockerfile -C "$HOME/.m2" --exclude='repository/dev/hadiag' --exclude='*.lastUpdated' \
  --exclude='resolver-status.properties' repository \
  | d build -q -t maven:3.9-eclipse-temurin-17 - >/dev/null
echo "docker-setup: maven:3.9-eclipse-temurin-17 and debian:bookworm-slim are the local stand-ins" >&2

echo "HA_DIAG_DOCKER_HOST=unix://$socket"
