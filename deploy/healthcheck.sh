#!/bin/sh
# Liveness of the agent (not of Home Assistant): /health answers 200 with "status":"ok".
# HA being down is an event the agent reports, not a reason to restart the agent.
# Works with curl, wget, python3 or bash (the image: Debian slim has none of the others), whichever exists.
port="${HA_DIAG_PORT:-8087}"
url="http://127.0.0.1:${port}/health"
if command -v curl >/dev/null 2>&1; then
  body=$(curl -fsS --max-time 4 "$url") || exit 1
elif command -v wget >/dev/null 2>&1; then
  body=$(wget -q -T 4 -O - "$url") || exit 1
elif command -v python3 >/dev/null 2>&1; then
  body=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=4).read().decode())' "$url" 2>/dev/null) || exit 1
else
  # bash's /dev/tcp: an HTTP/1.0 request, so the server closes the connection after its answer.
  body=$(timeout 4 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3 && cat <&3' _ "$port" 2>/dev/null) || exit 1
  case "$body" in
    'HTTP/1.'[01]' 200 '*) ;;
    *) exit 1 ;;
  esac
fi
case "$body" in
  *'"status":"ok"'*) exit 0 ;;
  *) exit 1 ;;
esac
