#!/usr/bin/env python3
"""Figures 4 and 5 of docs/performance.md: the agent jar as a process against the real test HA.

  latency    HA killed (SIGKILL) -> ha_websocket_dead file on disk, minus the grace; and HA answering again
             -> ha_websocket_recovered file. 20 trials, p50/p95/max.
  crash      the same with every default (no grace set): kill -9 -> ha_websocket_dead file, end to end, and
             HA answering again -> ha_websocket_recovered file (issue #16: a refused port is dead at once).
  footprint  process start -> /health 200, and resident memory after a minute idle. 5 trials.
  idle       CPU (user + system) and wake-ups (voluntary context switches, all threads) of the idle agent with
             every default, through the launcher, over a window after its first minute; --before JAR alternates an
             earlier jar with --jar in each pair (issue 29's idle CPU per 5 min), BENCH_BEFORE_JAVA_OPTS flags the
             launcher adds to the earlier runs. 2 pairs, --window seconds (300) after --warmup seconds (60).

Run through deploy/dev/bench.sh, which builds the jar and installs HA first. Arguments after "--" are JVM flags.
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

GRACE_S = 2


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["latency", "crash", "footprint", "idle"])
    parser.add_argument("--jar", required=True)
    parser.add_argument("--ha-dev", required=True)
    parser.add_argument("--trials", type=int)
    parser.add_argument("--before", help="idle: an earlier jar, alternated with --jar")
    parser.add_argument("--window", type=int, default=300, help="idle: seconds measured after the warm-up")
    parser.add_argument("--warmup", type=int, default=60,
                        help="idle: seconds after /health before the window (the start and the first run of every check are not idle)")
    parser.add_argument("--launcher", help="run the agent through this launcher (bin/ha-diag) instead of java FLAGS -jar")
    argv = sys.argv[1:]
    flags = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    args.jvm_flags = flags
    work = tempfile.mkdtemp(prefix="ha-diag-bench-")
    ha_dir = os.path.join(work, "ha")
    env = dict(line.split("=", 1) for line in subprocess.run(
        ["bash", args.ha_dev, "start", ha_dir], check=True, capture_output=True, text=True).stdout.split())
    try:
        if args.what == "latency":
            latency(args, work, ha_dir, env, args.trials or 20)
        elif args.what == "crash":
            latency(args, work, ha_dir, env, args.trials or 20, grace_s=None)
        elif args.what == "idle":
            idle(args, work, env, args.trials or 2)
        else:
            footprint(args, work, env, args.trials or 5)
    finally:
        subprocess.run(["bash", args.ha_dev, "stop", ha_dir], check=False)
    return 0


def start_agent(args, work, env, name, grace_s=GRACE_S):
    config = os.path.join(work, "agent.yaml")
    with open(config, "w", encoding="utf-8") as out:
        out.write(f"websocket: {{ grace: {grace_s}s }}\n" if grace_s is not None else "# every default\n")
    port = free_port()
    agent_env = dict(os.environ, HA_URL=env["HA_URL"], HA_TOKEN=env["HA_TOKEN"], NODE_NAME="bench",
                     HA_DIAG_EVENTS_DIR=os.path.join(work, "events"), HA_DIAG_DB=os.path.join(work, name + ".db"),
                     HA_DIAG_BIND="127.0.0.1", HA_DIAG_PORT=str(port))
    log = open(os.path.join(work, name + ".log"), "w", encoding="utf-8")
    started = time.monotonic()
    command = [args.launcher] if args.launcher else ["java", *args.jvm_flags, "-jar", args.jar]
    agent_env["HA_DIAG_JAR"] = args.jar
    process = subprocess.Popen([*command, "run", "--config", config],
                               env=agent_env, stdout=log, stderr=subprocess.STDOUT)
    return process, port, started


def health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
            return json.loads(response.read()) if response.status == 200 else None
    except OSError:
        return None


def wait_for(probe, timeout, step=0.005):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(step)
    raise SystemExit("timed out")


def event_files(work, event_type):
    found = []
    for root, _, files in os.walk(os.path.join(work, "events")):
        found += [f for f in files if f"_{event_type}_" in f and f.endswith(".json")]
    return len(found)


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def ha_answers(url):
    try:
        with urllib.request.urlopen(url + "/api/", timeout=0.5):
            return True
    except urllib.error.HTTPError:
        return True  # 401 without a token: HA's HTTP server is up
    except OSError:
        return False


def latency(args, work, ha_dir, env, trials, grace_s=GRACE_S):
    """grace_s None: the defaults, and the dead figure is end to end (nothing subtracted)."""
    agent, port, _ = start_agent(args, work, env, "latency", grace_s)
    try:
        wait_for(lambda: (health(port) or {}).get("ws_connected"), 60, 0.05)
        dead, recovered = [], []
        for trial in range(1, trials + 1):
            dead_before = event_files(work, "ha_websocket_dead")
            with open(os.path.join(ha_dir, "ha.pid"), encoding="utf-8") as f:
                pid = int(f.read().strip())
            os.kill(pid, signal.SIGKILL)
            killed = time.monotonic()
            wait_for(lambda: event_files(work, "ha_websocket_dead") > dead_before, 30)
            dead.append(time.monotonic() - killed - (grace_s or 0))
            recovered_before = event_files(work, "ha_websocket_recovered")
            # The dead file can come before the killed process is gone; ha-start skips a pid that still runs.
            wait_for(lambda: not alive(pid), 30)
            subprocess.Popen(["bash", args.ha_dev, "ha-start", ha_dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for(lambda: ha_answers(env["HA_URL"]), 120, 0.01)
            back = time.monotonic()
            wait_for(lambda: event_files(work, "ha_websocket_recovered") > recovered_before, 120)
            recovered.append(time.monotonic() - back)
            wait_for(lambda: (health(port) or {}).get("ws_connected"), 60, 0.05)
            subprocess.run(["bash", args.ha_dev, "ha-start", ha_dir], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"trial {trial:2d}: dead {'after grace ' if grace_s else 'after kill '}{dead[-1] * 1000:7.0f} ms,"
                  f" recovered after HA answered {recovered[-1] * 1000:7.0f} ms", flush=True)
        report("dead - grace" if grace_s else "kill -9 -> dead file", dead)
        report("recovered - HA answering", recovered)
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(60)


def footprint(args, work, env, trials):
    starts, rss = [], []
    for trial in range(1, trials + 1):
        agent, port, started = start_agent(args, work, env, f"footprint{trial}")
        try:
            wait_for(lambda: health(port), 60, 0.005)
            starts.append(time.monotonic() - started)
            time.sleep(60)  # idle: the checks ran once, the WebSocket is up
            with open(f"/proc/{agent.pid}/status", encoding="utf-8") as status:
                kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            rss.append(kb / 1024)
            print(f"trial {trial}: /health 200 after {starts[-1] * 1000:.0f} ms, RSS after 60 s idle {rss[-1]:.1f} MB", flush=True)
        finally:
            agent.send_signal(signal.SIGTERM)
            agent.wait(60)
    report("start to /health 200 (s)", starts, scale=1, unit="s")
    report("idle RSS (MB)", rss, scale=1, unit="MB")


def idle(args, work, env, pairs):
    """Every default (no grace set): what an ordinary install runs. Each jar needs its class-data archive (ha-diag-cds)."""
    jars = [("before", args.before), ("after", args.jar)] if args.before else [("after", args.jar)]
    ticks = os.sysconf("SC_CLK_TCK")
    for pair in range(1, pairs + 1):
        for label, jar in jars:
            args.jar = jar
            # BENCH_BEFORE_JAVA_OPTS: JVM flags the launcher adds last for the "before" runs (flags before and after).
            extra = os.environ.get("BENCH_BEFORE_JAVA_OPTS", "") if label == "before" else ""
            os.environ["HA_DIAG_JAVA_OPTS"] = extra
            agent, port, _ = start_agent(args, work, env, f"idle-{label}{pair}", grace_s=None)
            try:
                wait_for(lambda: health(port), 60, 0.01)
                time.sleep(args.warmup)  # the start and the first run of every check are not idle
                cpu0, woke0, spent0 = cpu_and_wakeups(agent.pid)
                time.sleep(args.window)
                cpu1, woke1, spent1 = cpu_and_wakeups(agent.pid)
                cpu = (cpu1 - cpu0) / ticks
                top = sorted(((woke1.get(name, 0) - woke0.get(name, 0), name) for name in woke1), reverse=True)[:4]
                # Threads that ended within the window are missing from the second reading; the process total has them.
                busiest = sorted(((spent1.get(name, 0) - spent0.get(name, 0), name) for name in spent1), reverse=True)[:6]
                print(f"pair {pair} {label}: CPU {cpu:.2f} s in {args.window} s ({cpu * 300 / args.window:.2f} s per 5 min), "
                      f"{sum(woke1.values()) - sum(woke0.values())} wake-ups ("
                      + ", ".join(f"{name} {count}" for count, name in top) + "); CPU by thread: "
                      + ", ".join(f"{name} {ticks_ / ticks:.2f} s" for ticks_, name in busiest if ticks_ > 0), flush=True)
            finally:
                agent.send_signal(signal.SIGTERM)
                agent.wait(60)


def cpu_and_wakeups(pid):
    """The process's user + system clock ticks, and each thread name's voluntary context switches and clock ticks."""
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    woke, spent = {}, {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status", encoding="utf-8") as status:
                values = dict(line.split(":", 1) for line in status if ":" in line)
            with open(f"/proc/{pid}/task/{task}/stat", encoding="utf-8") as stat:
                task_fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # the thread ended meanwhile
        # Numbered pool threads (ha-diag-check-3, qtp…-42) count as one name: which pool, not which thread.
        name = re.sub(r"[-#]?\d+$", "-N", values["Name"].strip())
        woke[name] = woke.get(name, 0) + int(values["voluntary_ctxt_switches"])
        spent[name] = spent.get(name, 0) + int(task_fields[11]) + int(task_fields[12])
    return int(fields[11]) + int(fields[12]), woke, spent


def report(name, values, scale=1000, unit="ms"):
    ordered = sorted(values)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    print(f"{name}: n={len(values)} p50={statistics.median(values) * scale:.0f} {unit} "
          f"p95={p95 * scale:.0f} {unit} max={ordered[-1] * scale:.0f} {unit}" if scale == 1000 else
          f"{name}: n={len(values)} p50={statistics.median(values):.2f} {unit} p95={p95:.2f} {unit} max={ordered[-1]:.2f} {unit}")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
