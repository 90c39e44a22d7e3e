#!/usr/bin/env bash
# A minimal Debian root filesystem in a directory, built from Debian's package mirror (no image registry
# is reachable here): the base of the local stand-in images and of the chroot a current Home Assistant runs in.
#
#   sudo deploy/dev/debian-rootfs.sh SUITE DIR [PACKAGE,PACKAGE,...]
#
# SUITE: bookworm, trixie, or forky (Debian testing, which has Python 3.14). Cached: a DIR built before
# with the same suite and packages is kept as it is (a stamp file records them). Root only.
set -euo pipefail

die() { echo "debian-rootfs: $*" >&2; exit 1; }
(($# >= 2)) || die "usage: $0 SUITE DIR [PACKAGE,...]"
suite=$1 dir=$2 include=${3:-}
mirror=${HA_DIAG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
[[ $(id -u) -eq 0 ]] || die "run as root (debootstrap)"

stamp="$dir/.ha-diag-rootfs"
want="$suite $include"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "debian-rootfs: $dir ($want) already built"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 install -y -q debootstrap >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -q debootstrap >/dev/null
  } || die "could not install debootstrap"
fi
# debootstrap has no script named after testing's codename; testing bootstraps like sid.
[[ -e /usr/share/debootstrap/scripts/$suite ]] || ln -sf sid "/usr/share/debootstrap/scripts/$suite"

# A half-built directory from an interrupted run is useless: start over (unmount what a chroot left).
if [[ -d "$dir" ]]; then
  for m in proc dev; do mountpoint -q "$dir/$m" && umount -l "$dir/$m"; done
  rm -rf "$dir"
fi
mkdir -p "$(dirname "$dir")"
args=(--variant=minbase)
[[ -n "$include" ]] && args+=("--include=$include")
debootstrap "${args[@]}" "$suite" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 \
  || die "debootstrap $suite failed (see $dir.debootstrap.log)"
rm -f "$dir/var/cache/apt/archives/"*.deb
echo "$want" > "$stamp"
echo "debian-rootfs: built $dir ($want)"
