#!/bin/sh
# Assembles the image's root filesystem in DIR from the Debian stage it runs in: the JRE already copied to
# DIR/opt/java, the programs the launcher, ha-diag-cds and the health check run (bash, sh, env, dirname,
# readlink, stat, mv, cat, timeout) and a few an operator looks around with (`docker exec … sh`: ls, cp, rm,
# mkdir, id, head, tail, du, df, sleep), the shared libraries all of them load (ldd), glibc's core libraries
# (SQLite's native library, unpacked later, loads some of them), the hadiag user (UID:GID 10001:10001)
# and the directories the agent writes. Nothing else of Debian: no package manager, no perl, no docs.
#
#   sh deploy/image-rootfs.sh DIR
set -eu
root=$1
mkdir -p "$root"
# Debian's merged /usr: /bin, /lib, /lib64 … are links into /usr; the same links here, so that every path a
# program or ldd names resolves the same way inside the image.
for top in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$top" ]; then
    target=$(readlink "/$top")
    mkdir -p "$root/${target#/}"
    ln -sfn "$target" "$root/$top"
  fi
done
copy() {  # copies each file to the same path under $root, following links (a library's soname link included)
  for file in "$@"; do
    mkdir -p "$root$(dirname "$file")"
    cp -L "$file" "$root$file"
  done
}
programs="/bin/bash /bin/dash /usr/bin/env /usr/bin/dirname /usr/bin/readlink /usr/bin/stat /usr/bin/mv /usr/bin/cat /usr/bin/timeout
  /usr/bin/ls /usr/bin/cp /usr/bin/rm /usr/bin/mkdir /usr/bin/id /usr/bin/head /usr/bin/tail /usr/bin/du /usr/bin/df /usr/bin/sleep"
copy $programs
ln -sf dash "$root/bin/sh"
libc_dir=$(dirname "$(ldd /bin/dash | awk '$1 ~ /^libc\.so/ {print $3}')")
# glibc's core: libc, libm, libdl, libpthread, librt, libresolv (SQLite's library and the JVM dlopen some of them).
for lib in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2; do
  [ -e "$libc_dir/$lib" ] && copy "$libc_dir/$lib"
done
# Every library the programs and the JRE's own libraries link (the JRE finds its own through $ORIGIN).
# libawt_xawt (X11) is part of java.desktop, whose java.beans the YAML parser links: never loaded headless.
for file in $programs "$root/opt/java/bin/java" $(find "$root/opt/java" -name '*.so' ! -name 'libawt_xawt.so'); do
  ldd "$file" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | sort -u | while read -r lib; do
  case "$lib" in "$root"/*) ;; *) copy "$lib" ;; esac
done
mkdir -p "$root/etc" "$root/tmp" "$root/app" "$root/data" "$root/opt/homelab/events" "$root/opt/homelab/config/ha-diag-agent"
chmod 1777 "$root/tmp"
ldconfig -r "$root"  # the loader's cache of this tree's libraries
printf 'root:x:0:0:root:/root:/bin/sh\nhadiag:x:10001:10001::/nonexistent:/usr/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nhadiag:x:10001:\n' >"$root/etc/group"
chown 10001:10001 "$root/data" "$root/opt/homelab/events"
