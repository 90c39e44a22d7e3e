#!/bin/sh
# Liveness of the agent (not of Home Assistant): /health answers 200 with "status":"ok".
# HA being down is an event the agent reports, not a reason to restart the agent. A disk that cannot take
# event files is: /health then answers 503 with "status":"failing" and the reason.
# Works with curl, busybox wget (the alpine runtime image) or python3, whichever the host has.
port="${HA_DIAG_PORT:-8087}"
url="http://127.0.0.1:${port}/health"
if command -v curl >/dev/null 2>&1; then
  body=$(curl -fsS --max-time 4 "$url") || exit 1
elif command -v wget >/dev/null 2>&1; then
  body=$(wget -q -T 4 -O - "$url") || exit 1
else
  body=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=4).read().decode())' "$url" 2>/dev/null) || exit 1
fi
case "$body" in
  *'"status":"ok"'*) exit 0 ;;
  *) exit 1 ;;
esac
