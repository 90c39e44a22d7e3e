#!/usr/bin/env python3
"""The fleet's load figure of docs/performance.md (issue 28 item 5): a real mosquitto holding 10 nodes x 5,000 retained
alert topics, plus each node's status and health, loaded by `ha-diag fleet` as shipped (the launcher).

The broker is filled by the relay itself, so every topic and payload is the relay's own: each node gets an events tree
of --alerts alert openings (the agent's event format: HA alert types, typed alert keys, a summary and the root cause),
sent by `ha-diag relay --once`; then one `ha-diag relay` per node keeps following its (sent) tree, so each node is online
with its health, as agents on their hosts would be. The broker lives for the whole run, so nothing is sent twice.

Then, per trial, a fresh `ha-diag fleet`: the time from its start to the view complete (/metrics: live and the open
alerts of every node summing to the total; then GET /fleet checked to list every alert of every node, all online), its
peak RSS (VmHWM) during the load, its RSS after --settle seconds, and GET / and GET /fleet (5 each: time and size).
--before JAR alternates an earlier jar with --jar, trial by trial.

Run through deploy/dev/bench.sh fleet, under the shared lock (it starts 11 JVMs and a broker, and stops them all).
"""
import argparse
import getpass
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

PREFIX = "homelab"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--launcher", required=True)
    parser.add_argument("--before", help="an earlier jar, alternated with --jar")
    parser.add_argument("--nodes", type=int, default=10)
    parser.add_argument("--alerts", type=int, default=5000, help="retained alert topics per node")
    parser.add_argument("--trials", type=int, default=2, help="fleet starts per jar")
    parser.add_argument("--settle", type=int, default=60, help="seconds after the view is complete before the settled RSS")
    parser.add_argument("--broker", default="/usr/sbin/mosquitto")
    parser.add_argument("--deadline", type=int, default=180, help="seconds a fleet has to show every alert")
    parser.add_argument("--before-trials", type=int, default=1, help="how many of the trials also run --before")
    parser.add_argument("--max-queued", type=int, help="mosquitto's max_queued_messages (default: mosquitto's own, 1000)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="ha-diag-bench-fleet-")
    started = []
    ok = False
    try:
        port = free_port()
        broker = start_mosquitto(args.broker, work, port, args.max_queued)
        started.append(broker)
        url = f"mqtt://127.0.0.1:{port}"
        nodes = [f"node-{i:02d}" for i in range(args.nodes)]
        t0 = time.monotonic()
        size = 0
        for node in nodes:
            size += write_tree(os.path.join(work, "events-" + node), node, args.alerts)
        print(f"event trees: {args.nodes} x {args.alerts} alert openings, {size / 1e6:.1f} MB, {time.monotonic() - t0:.1f} s",
              file=sys.stderr)
        t0 = time.monotonic()
        fill(args, work, nodes, url)
        print(f"broker filled by ha-diag relay --once: {time.monotonic() - t0:.1f} s", file=sys.stderr)
        for node in nodes:
            started.append(relay(args, work, node, url, once=False))
        for node in nodes:
            wait_log(os.path.join(work, f"relay-{node}-follow.log"), "connected to MQTT broker", 60)
        time.sleep(3)  # each relay's health goes out just after it connects
        jars = [("after", args.jar)] + ([("before", args.before)] if args.before else [])
        results = []
        for trial in range(args.trials):
            for label, jar in jars if trial < args.before_trials else jars[:1]:
                result = fleet_trial(args, work, jar, url, nodes, f"{label}-{trial}")
                result.update(label=label, trial=trial, loadavg=loadavg(), utc=utc())
                results.append(result)
                print(json.dumps(result), flush=True)
        for label, _ in jars:
            mine = [r for r in results if r["label"] == label]
            print(f"{label}: complete {spread(mine, 'complete_s', 's')}, peak RSS {spread(mine, 'peak_rss_mb', ' MB')}, "
                  f"settled RSS {spread(mine, 'settled_rss_mb', ' MB')}, GET / {spread(mine, 'page_ms', ' ms')} "
                  f"({spread(mine, 'page_kb', ' kB')}), GET /fleet {spread(mine, 'fleet_ms', ' ms')} ({spread(mine, 'fleet_kb', ' kB')})")
        ok = True
    finally:
        for process in reversed(started):
            stop(process)
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work} (logs)", file=sys.stderr)
    return 0


def write_tree(events, node, count):
    """Alert openings as the agent writes them: one directory of today, file names in the order written."""
    start = datetime.now(timezone.utc) - timedelta(minutes=30)
    directory = os.path.join(events, start.strftime("%Y-%m-%d"), node)
    os.makedirs(directory)
    total = 0
    for i in range(count):
        at = start + timedelta(milliseconds=i)
        if i % 50 == 0:
            kind, name, alert_type, severity = "integration", f"bench_{i:05d}", "ha_integration_failed", "error"
            summary = f"Integration bench_{i:05d} failed to set up: setup_retry (Timeout connecting to 192.0.2.{i % 250})"
        else:
            kind, name, alert_type, severity = "entity", f"sensor.bench_{i:05d}_temperature", "ha_entity_unavailable_long", "warning"
            summary = f"sensor.bench_{i:05d}_temperature has been unavailable for 15 minutes (integration bench_{i // 50 * 50:05d})"
        event = {
            "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
            "node": node, "type": alert_type, "severity": severity, "source": "ha-diag-agent", "service": "homeassistant",
            "correlation_id": str(uuid.uuid4()),
            "payload": {
                "check": "unavailable_entities", "location_tag": "lab",
                "alert_key": f"{alert_type}:{kind}:{name}", "summary": summary,
                "root_cause": {"id": name, "kind": kind, "name": name.replace("_", " ")},
                "since": (at - timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "entities": [name] if kind == "entity" else [f"sensor.bench_{i:05d}_{j}" for j in range(3)],
                "entity_count": 1 if kind == "entity" else 3,
            },
        }
        body = json.dumps(event, indent=2).encode() + b"\n"
        total += len(body)
        name_ts = at.strftime("%Y%m%dT%H%M%S.") + f"{at.microsecond // 1000:03d}Z"
        with open(os.path.join(directory, f"{name_ts}_{alert_type}_{uuid.uuid4()}.json"), "wb") as out:
            out.write(body)
    return total


def relay(args, work, node, url, once):
    env = dict(os.environ, NODE_NAME=node, HA_DIAG_JAR=args.jar)
    log = open(os.path.join(work, f"relay-{node}-{'once' if once else 'follow'}.log"), "w", encoding="utf-8")
    command = [args.launcher, "relay", "--events-dir", os.path.join(work, "events-" + node),
               "--state", os.path.join(work, f"relay-{node}.db"), "--mqtt-url", url] + (["--once"] if once else [])
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def fill(args, work, nodes, url):
    """Two relays at a time (two cores); each must exit 0: its whole backlog acknowledged by the broker."""
    pending = list(nodes)
    running = []
    while pending or running:
        while pending and len(running) < 2:
            node = pending.pop(0)
            running.append((node, relay(args, work, node, url, once=True)))
        node, process = running.pop(0)
        if process.wait(timeout=300) != 0:
            raise SystemExit(f"relay --once for {node} exited {process.returncode}: see {work}/relay-{node}-once.log")


def fleet_trial(args, work, jar, url, nodes, name):
    port = free_port()
    env = dict(os.environ, NODE_NAME="fleet-bench", HA_DIAG_JAR=jar, HA_DIAG_BIND="127.0.0.1", HA_DIAG_PORT=str(port))
    log = open(os.path.join(work, f"fleet-{name}.log"), "w", encoding="utf-8")
    total = len(nodes) * args.alerts
    started = time.monotonic()
    process = subprocess.Popen([args.launcher, "fleet", "--mqtt-url", url, "--events-dir", os.path.join(work, "fleet-events-" + name)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = started + args.deadline
        complete = None
        alerts, text = 0, ""
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the fleet exited {process.returncode}: see {work}/fleet-{name}.log")
            metrics = get(port, "/metrics", 2)
            if metrics is not None:
                text = metrics[0].decode()
                alerts = sum(int(v) for v in re.findall(r'^ha_diag_fleet_node_open_alerts\{[^}]*\} (\d+)$', text, re.M))
                if "ha_diag_fleet_live 1" in text and alerts == total:
                    complete = time.monotonic() - started
                    break
            time.sleep(0.2)
        if complete is None:
            live = re.findall(r'^ha_diag_fleet_live (\d)$', text, re.M)
            print(f"the fleet did not show {total} alerts within {args.deadline} s (last: {alerts}, live {live}): "
                  f"see {work}/fleet-{name}.log", file=sys.stderr)
            return {"complete_s": None, "alerts_seen": alerts, "live": live == ["1"], "peak_rss_mb": round(rss(process.pid, "VmHWM") / 1024, 1)}
        peak_load = rss(process.pid, "VmHWM")
        answer = get(port, "/fleet", 60)
        if answer is None:
            print(f"GET /fleet failed (see {work}/fleet-{name}.log)", file=sys.stderr)
            return {"complete_s": round(complete, 2), "peak_rss_mb": round(peak_load / 1024, 1), "fleet_failed": True}
        view = json.loads(answer[0])
        listed = sum(len(n["alerts"]) for n in view["nodes"])
        online = sorted(n["node"] for n in view["nodes"] if n["presence"] == "online")
        if listed != total or online != nodes:
            raise SystemExit(f"GET /fleet lists {listed} alerts (want {total}), online {online}")
        time.sleep(args.settle)
        settled = rss(process.pid, "VmRSS")
        pages = {}
        for path in ("/", "/fleet"):
            times = []
            for _ in range(5):
                t0 = time.monotonic()
                body, status = get(port, path, 60)
                times.append((time.monotonic() - t0) * 1000)
                if status != 200:
                    raise SystemExit(f"GET {path} answered {status}")
            pages[path] = (sorted(times)[2], len(body))
        return {"complete_s": round(complete, 2), "peak_rss_mb": round(peak_load / 1024, 1), "settled_rss_mb": round(settled / 1024, 1),
                "page_ms": round(pages["/"][0]), "page_kb": round(pages["/"][1] / 1024), "fleet_ms": round(pages["/fleet"][0]),
                "fleet_kb": round(pages["/fleet"][1] / 1024), "peak_rss_after_pages_mb": round(rss(process.pid, "VmHWM") / 1024, 1),
                "alerts": listed}
    finally:
        stop(process)


def get(port, path, timeout):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            return response.read(), response.status
    except OSError:
        return None


def rss(pid, field):
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"no {field} for {pid}")


def start_mosquitto(binary, work, port, max_queued):
    config = os.path.join(work, "mosquitto.conf")
    with open(config, "w", encoding="utf-8") as out:
        out.write(f"user {getpass.getuser()}\npersistence false\nlistener {port} 127.0.0.1\nallow_anonymous true\n")
        if max_queued is not None:
            out.write(f"max_queued_messages {max_queued}\n")
    process = subprocess.Popen([binary, "-c", config], stdout=open(os.path.join(work, "mosquitto.log"), "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{binary} does not listen on {port}")


def wait_log(path, text, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(path, encoding="utf-8", errors="replace") as log:
            if text in log.read():
                return
        time.sleep(0.2)
    raise SystemExit(f"{path}: no '{text}' within {seconds} s")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def spread(results, key, unit):
    values = [r[key] for r in results if r.get(key) is not None]
    if not values:
        return "—"
    return f"{min(values)}{unit}" if min(values) == max(values) else f"{min(values)}–{max(values)}{unit}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    with open("/proc/loadavg", encoding="utf-8") as f:
        return " ".join(f.read().split()[:3])


def utc():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


if __name__ == "__main__":
    sys.exit(main())
