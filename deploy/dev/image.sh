#!/usr/bin/env bash
# Builds deploy/Dockerfile here, where no image registry is reachable, and prints the image reference.
#
#   sudo deploy/dev/image.sh      →  localhost/ha-diag-agent:dev
#
# Also builds localhost/ha-diag-systemd-host:bookworm (deploy/dev/systemd-host.Containerfile), the
# systemd "host" SystemdUnitIT starts the unit on.
#
# The Dockerfile's upstream bases (maven:3.9-eclipse-temurin-17, debian:bookworm-slim) are replaced by
# stand-ins imported from Debian bookworm root filesystems (deploy/dev/debian-rootfs.sh): the build one
# with openjdk-17-jdk-headless and maven, the runtime one minbase, like debian:bookworm-slim. Rootfs
# directories and stand-in images are cached (/root/.cache/ha-diag/), and re-imported only when their
# rootfs changes; podman's layer cache skips the Maven build when the sources did not change.
# Maven inside the build uses the host's ~/.m2/repository (reads and downloads; never installs), so a
# fresh CI machine downloads the dependencies once for both the image and the test run.
# Needs podman (deploy/dev/podman-setup.sh). Root only (debootstrap).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${HA_DIAG_CACHE:-/root/.cache/ha-diag}
image=${HA_DIAG_IMAGE:-localhost/ha-diag-agent:dev}

die() { echo "image.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root (debootstrap, podman)"
command -v podman >/dev/null || die "podman is missing: run deploy/dev/podman-setup.sh first"

# standin NAME ROOTFS-DIR [PACKAGES] [TAR-EXCLUDES...]: a local image made from a cached bookworm rootfs.
standin() {
  local name=$1 dir=$2 packages=${3:-}
  shift 3
  bash "$here/debian-rootfs.sh" bookworm "$dir" "$packages" >&2
  local stamp
  # The rootfs's stamp, its build time and the tar options: any change makes a new import.
  stamp=$( (cat "$dir/.ha-diag-rootfs"; stat -c %Y "$dir/.ha-diag-rootfs"; echo "$@") | sha256sum | cut -c1-16)
  if [[ "$(podman image inspect --format '{{index .Labels "ha-diag.rootfs"}}' "$name" 2>/dev/null)" != "$stamp" ]]; then
    tar -C "$dir" --exclude=./.ha-diag-rootfs "$@" -c . \
      | podman import --change "LABEL ha-diag.rootfs=$stamp" - "$name" >/dev/null
    echo "image.sh: imported $name" >&2
  fi
}

standin localhost/ha-diag-standin-build:bookworm "$cache/rootfs-bookworm-agent-build" openjdk-17-jdk-headless,maven
# What debian:bookworm-slim leaves out too (docs, man pages, locales, apt lists), so that the measured
# image size is close to the one users get.
standin localhost/ha-diag-standin-runtime:bookworm "$cache/rootfs-bookworm-agent-runtime" "" \
  --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' --exclude='./usr/share/locale/*' \
  --exclude='./usr/share/info/*' --exclude='./var/lib/apt/lists/*'

mkdir -p "$HOME/.m2/repository"
volumes=(--volume "$HOME/.m2:/host-m2")
# Maven inside the build trusts what the host's Java trusts (a machine behind a TLS-inspecting egress
# proxy has that proxy's CA there, and the stand-in's fresh cacerts lacks it).
[[ -f /etc/ssl/certs/java/cacerts ]] && volumes+=(--volume /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro)
# --format docker: the OCI format has no HEALTHCHECK, and podman would drop it (with a warning).
podman build --format docker -f "$repo/deploy/Dockerfile" -t "$image" \
  --build-arg BUILD_IMAGE=localhost/ha-diag-standin-build:bookworm \
  --build-arg RUNTIME_IMAGE=localhost/ha-diag-standin-runtime:bookworm \
  --build-arg MAVEN_REPO=/host-m2/repository \
  --build-arg HA_DIAG_COMMIT="$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)" \
  "${volumes[@]}" \
  "$repo" >&2

# Not the product: a bookworm "host" with systemd as PID 1, on which SystemdUnitIT runs the systemd unit.
podman build --format docker -f "$here/systemd-host.Containerfile" -t localhost/ha-diag-systemd-host:bookworm "$here" >&2

echo "$image"
