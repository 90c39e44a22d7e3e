#!/usr/bin/env python3
"""/health latency while N concurrent POST /trigger hit a running agent (docs/reliability.md).

Usage: set -a; eval "$(deploy/dev/ha-dev.sh start)"; set +a; python3 deploy/dev/trigger-flood.py ha-diag-app/target/ha-diag.jar 400
Starts the jar against $HA_URL/$HA_TOKEN on a free loopback port, fires N triggers of unavailable_entities
at once, polls /health 20 times meanwhile, prints the answers and the /health times, and stops the agent.
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def request(base, method, path, timeout):
    req = urllib.request.Request(base + path, method=method, data=b"" if method == "POST" else None)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            code = resp.status
    except urllib.error.HTTPError as e:
        code = e.code
    except OSError as e:
        code = type(e).__name__
    return code, time.monotonic() - started


def main():
    jar, count = sys.argv[1], int(sys.argv[2])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = tempfile.mkdtemp(prefix="ha-diag-flood-")
    env = dict(os.environ, NODE_NAME="flood", HA_DIAG_EVENTS_DIR=work + "/events", HA_DIAG_DB=work + "/db.sqlite",
               HA_DIAG_BIND="127.0.0.1", HA_DIAG_PORT=str(port))
    with open(work + "/agent.log", "w") as log:
        agent = subprocess.Popen(["java", "-jar", jar, "run"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if request(base, "GET", "/health", 2)[0] == 200:
                break
            time.sleep(0.5)
        request(base, "POST", "/trigger/unavailable_entities", 60)
        answers, lock = [], threading.Lock()

        def fire():
            answer = request(base, "POST", "/trigger/unavailable_entities", 120)
            with lock:
                answers.append(answer)

        threads = [threading.Thread(target=fire) for _ in range(count)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        health = []
        for _ in range(20):
            health.append(request(base, "GET", "/health", 60))
            time.sleep(0.1)
        for thread in threads:
            thread.join()
        codes = {}
        for code, _ in answers:
            codes[code] = codes.get(code, 0) + 1
        millis = sorted(t * 1000 for _, t in health)
        print(f"triggers={count} answers={codes} flood_s={time.monotonic() - started:.1f} "
              f"health={sorted(set(c for c, _ in health), key=str)} health_ms_median={statistics.median(millis):.0f} "
              f"health_ms_max={max(millis):.0f}")
    finally:
        agent.terminate()
        agent.wait(30)


if __name__ == "__main__":
    main()
