#!/usr/bin/env bash
# The container figures of docs/performance.md: image size, start to /health 200, idle RSS.
#
#   sudo deploy/dev/bench-container.sh [TRIALS]    (default 3; about 70 s per trial)
#
# Uses the image of deploy/dev/image.sh (HA_DIAG_IMAGE, default localhost/ha-diag-agent:dev) and a real
# HA from deploy/dev/ha-dev.sh (its own state dir, stopped at the end). Each trial starts the container
# with host networking, as DEPLOY.md's docker run does, times `podman run` → /health 200 (polled every
# 20 ms), then after 60 s idle reads the java process's VmRSS and the container's cgroup memory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${HA_DIAG_IMAGE:-localhost/ha-diag-agent:dev}
trials=${1:-3}
state=$(mktemp -d /tmp/ha-diag-bench-container.XXXXXX)
name=ha-diag-bench-$$

cleanup() {
  podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  bash "$here/ha-dev.sh" stop "$state/ha" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

podman image exists "$image" || { echo "no $image: run deploy/dev/image.sh" >&2; exit 1; }
eval "$(bash "$here/ha-dev.sh" start "$state/ha" | grep -E '^HA_(URL|TOKEN)=')"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); podman $(podman version --format '{{.Client.Version}}')"
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "image $image: $((size / 1000000)) MB"
for trial in $(seq 1 "$trials"); do
  rm -rf "$state/host" && mkdir -p "$state/host/events" "$state/host/data" && chown 10001:10001 "$state/host/events" "$state/host/data"
  printf 'HA_URL=%s\nHA_TOKEN=%s\nNODE_NAME=bench\n' "$HA_URL" "$HA_TOKEN" > "$state/host/.env"
  start=$(date +%s%N)
  podman run -d --name "$name" --network host --env-file "$state/host/.env" -e HA_DIAG_BIND=127.0.0.1 \
    -e HA_DIAG_PORT="$port" -v "$state/host/events:/opt/homelab/events" -v "$state/host/data:/data" "$image" >/dev/null
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.02; done
  ready=$(date +%s%N)
  sleep 60
  pid=$(podman inspect --format '{{.State.Pid}}' "$name")
  rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  cgroup=$(podman stats --no-stream --format '{{.MemUsage}}' "$name" | cut -d/ -f1)
  echo "trial $trial: start → /health 200 $(( (ready - start) / 1000000 )) ms; idle RSS after 60 s ${rss} MB (container memory ${cgroup})"
  podman rm -f -t 60 "$name" >/dev/null
done
