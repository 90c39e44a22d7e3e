#!/usr/bin/env python3
"""Target 1 of docs/performance.md: what the agent costs Home Assistant's own process.

A real HA (deploy/dev/ha-dev.sh) gets SIZE entities that look like an installation's: SIZE entries in the
entity registry (5 per device, written to .storage before HA starts, as HA keeps them), and a state for each
posted over the REST API (2.5 % unavailable; no state_class, so HA compiles no long-term statistics of
them every 5 minutes: that work does not depend on the agent, and would land unevenly in the windows). Then, alternated, windows of HA's process CPU time
(utime + stime of the hass process, from /proc) without the agent and with the agent running at its
default settings. A window is a whole number of the agent's 60 s check interval, so it always holds the
same number of cycles whatever their phase. The agent starts (and its first cycle and WebSocket connect
finish) before its window opens and stops after it closes: the steady state, not the start.

Then, without the agent, the cost to HA of each call a cycle makes (the average of REPEAT calls), so the
hourly figure can be split into states / registries / config entries.

With --causes ROUNDS (figure 9, "many causes"), instead: SIZE states posted over REST with no registry entry,
every 4th unavailable (SIZE/4 separate root causes), then ManyCausesRun (from --classpath, with the JVM flags)
times the warm unavailable_entities cycle against a bare fetch + parse, alternated in one JVM.

Run with the HA venv's Python (it has aiohttp, for the WebSocket calls); deploy/dev/bench.sh ha-cost does:
  python bench_ha_cost.py --jar ha-diag.jar --ha-dev ha-dev.sh [--sizes 1000,10000] [--window 120] [--pairs 2]
      [--churn 0] [--plugin RUNS [--before-jar JAR] | --causes ROUNDS --classpath CP] -- JVM flags
"""
import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import aiohttp

TICK = os.sysconf("SC_CLK_TCK")


def main() -> int:
    argv = sys.argv[1:]
    flags = argv[argv.index("--") + 1:] if "--" in argv else []
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--ha-dev", required=True)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--window", type=int, default=120, help="seconds; a multiple of 60")
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--churn", type=float, default=0.0, help="state changes per second during the windows")
    parser.add_argument("--plugin", type=int, default=0,
                        help="instead of the windows: RUNS runs of each plugin command, alternated")
    parser.add_argument("--hold", action="store_true",
                        help="instead of measuring: set the HA up, print its URL and token file, and keep it until "
                             "that file is deleted (for profiling by hand)")
    parser.add_argument("--causes", type=int, default=0,
                        help="instead of the windows: ROUNDS rounds of ManyCausesRun, states without registry entries")
    parser.add_argument("--classpath", help="for --causes: the classpath of ha-diag-app's tests")
    parser.add_argument("--before-jar", help="for --plugin: an earlier ha-diag.jar, run by the launcher with its own archive"
                                             " (made by ha-diag-cds beside it) in every round, alternated with the others")
    parser.add_argument("--before", help="for --causes: a directory of classes put first on the classpath in every other"
                                         " run (an earlier version of the changed classes), --pairs times alternated")
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    work = tempfile.mkdtemp(prefix="ha-diag-ha-cost-")
    ha_dir = os.path.join(work, "ha")
    env = start_ha(args, ha_dir)
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            if args.causes:
                post_states(env, [f"sensor.orphan_{i}" for i in range(size)], unavailable_every=4)
                time.sleep(20)  # the recorder's commit of the posted states, HA's own settling
                causes(args, flags, env)
                continue
            subprocess.run(["bash", args.ha_dev, "ha-stop", ha_dir], check=True)
            entity_ids = inflate_registries(ha_dir, size)
            env = start_ha(args, ha_dir)
            post_states(env, entity_ids)
            time.sleep(60)  # the recorder's commit of the posted states, HA's own settling
            if args.hold:
                hold(work, env, size)
            elif args.plugin:
                plugin(args, flags, work, env, size)
            else:
                measure(args, flags, work, env, ha_dir, size, entity_ids)
    finally:
        subprocess.run(["bash", args.ha_dev, "stop", ha_dir], check=False)
    return 0


def start_ha(args, ha_dir):
    out = subprocess.run(["bash", args.ha_dev, "start", ha_dir], check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.split())


def ha_pid(ha_dir):
    with open(os.path.join(ha_dir, "ha.pid"), encoding="utf-8") as f:
        return int(f.read().strip())


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def inflate_registries(ha_dir, size):
    """SIZE entity registry entries on SIZE/5 devices of the existing MQTT config entry, as HA stores them."""
    storage = os.path.join(ha_dir, "config", ".storage")
    entry_id = next(e["entry_id"] for e in load(storage, "core.config_entries")["data"]["entries"]
                    if e["domain"] == "mqtt")
    entities = load(storage, "core.entity_registry")
    devices = load(storage, "core.device_registry")
    keep = [e for e in entities["data"]["entities"] if not e["entity_id"].startswith("sensor.bench_")]
    devices["data"]["devices"] = [d for d in devices["data"]["devices"]
                                  if not d["id"].startswith("bench")]
    template = dict(entities["data"]["entities"][0])
    ids = []
    for i in range(size):
        device = f"bench{i // 5:027d}"
        if i % 5 == 0:
            devices["data"]["devices"].append({
                "area_id": None, "config_entries": [entry_id], "configuration_url": None, "connections": [],
                "disabled_by": None, "entry_type": None, "hw_version": None, "id": device,
                "identifiers": [["mqtt", f"bench_{i // 5}"]], "labels": [], "manufacturer": "Bench",
                "model": "Sensor 5", "name_by_user": None, "name": f"Bench device {i // 5}",
                "serial_number": None, "sw_version": "1.0", "via_device_id": None})
        entity_id = f"sensor.bench_{i}"
        ids.append(entity_id)
        keep.append(dict(template, config_entry_id=entry_id, device_id=device, entity_id=entity_id,
                         id=f"benchentity{i:021d}", platform="mqtt", unique_id=f"bench_{i}",
                         original_name=f"Bench sensor {i}", device_class="temperature",
                         original_device_class="temperature", unit_of_measurement="°C"))
    entities["data"]["entities"] = keep
    save(storage, "core.entity_registry", entities)
    save(storage, "core.device_registry", devices)
    return ids


def load(storage, key):
    with open(os.path.join(storage, key), encoding="utf-8") as f:
        return json.load(f)


def save(storage, key, data):
    with open(os.path.join(storage, key), "w", encoding="utf-8") as f:
        json.dump(data, f)


def state_body(i, unavailable=False):
    return {"state": "unavailable" if unavailable else f"{20 + (i % 50) / 10:.1f}",
            "attributes": {"friendly_name": f"Bench sensor {i}", "device_class": "temperature",
                           "unit_of_measurement": "°C"}}


def post_states(env, entity_ids, unavailable_every=40):
    async def run():
        headers = {"Authorization": f"Bearer {env['HA_TOKEN']}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            queue = list(enumerate(entity_ids))

            async def worker():
                while queue:
                    i, entity_id = queue.pop()
                    async with http.post(f"{env['HA_URL']}/api/states/{entity_id}",
                                         json=state_body(i, i % unavailable_every == 0)) as r:
                        r.raise_for_status()
            await asyncio.gather(*[worker() for _ in range(8)])
    started = time.monotonic()
    asyncio.run(run())
    print(f"posted {len(entity_ids)} states in {time.monotonic() - started:.0f} s", file=sys.stderr)


class Churn:
    """Changes RATE random states per second (both arms alike), so the agent's state_changed subscription costs
    HA what it would on a live installation."""

    def __init__(self, env, entity_ids, rate):
        self.env, self.ids, self.rate, self.stop = env, entity_ids, rate, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self):
        if self.rate > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()

    def run(self):
        while not self.stop.wait(1 / self.rate):
            i = random.randrange(len(self.ids))
            body = state_body(i + random.randrange(50))
            request = urllib.request.Request(f"{self.env['HA_URL']}/api/states/{self.ids[i]}",
                                             data=json.dumps(body).encode(), method="POST",
                                             headers={"Authorization": f"Bearer {self.env['HA_TOKEN']}",
                                                      "Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()


def window(pid, seconds):
    load_before = os.getloadavg()[0]
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return cpu_seconds(pid) - before, (load_before + os.getloadavg()[0]) / 2


def start_agent(flags, jar, work, env, size):
    port = free_port()
    agent_env = dict(os.environ, HA_URL=env["HA_URL"], HA_TOKEN=env["HA_TOKEN"], NODE_NAME="bench",
                     HA_DIAG_EVENTS_DIR=os.path.join(work, "events"),
                     HA_DIAG_DB=os.path.join(work, f"agent-{size}.db"), HA_DIAG_BIND="127.0.0.1",
                     HA_DIAG_PORT=str(port))
    log = open(os.path.join(work, f"agent-{size}.log"), "a", encoding="utf-8")
    process = subprocess.Popen(["java", *flags, "-jar", jar, "run"], env=agent_env, stdout=log,
                               stderr=subprocess.STDOUT)
    process.port = port
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # every check has run once and the WebSocket is up
        status, checks = get(port, "/health"), get(port, "/checks")
        if status and status.get("ws_connected") and checks and all(
                c["last_run"] for c in checks["checks"] if c["enabled"]):
            return process
        time.sleep(0.5)
    process.kill()
    raise SystemExit(f"the agent did not settle; see {log.name}")


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return json.loads(response.read())
    except OSError:
        return None


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(args, flags, work, env, ha_dir, size, entity_ids):
    pid = ha_pid(ha_dir)
    off, on = [], []
    with Churn(env, entity_ids, args.churn):
        for pair in range(args.pairs):
            cpu, load = window(pid, args.window)
            off.append(cpu)
            print(f"{size} entities, pair {pair + 1}: without agent {cpu:.2f} s HA CPU in {args.window} s "
                  f"(load {load:.2f})", file=sys.stderr)
            agent = start_agent(flags, args.jar, work, env, size)
            cpu, load = window(pid, args.window)
            on.append(cpu)
            print(f"{size} entities, pair {pair + 1}: with agent    {cpu:.2f} s HA CPU in {args.window} s "
                  f"(load {load:.2f})", file=sys.stderr)
            agent.terminate()
            agent.wait(timeout=60)
    per_hour = [(b - a) * 3600 / args.window for a, b in zip(off, on)]
    print(json.dumps({"entities": size, "window_s": args.window, "churn_per_s": args.churn,
                      "ha_cpu_without_s": off, "ha_cpu_with_s": on,
                      "agent_cost_ha_cpu_s_per_hour": [round(x, 1) for x in per_hour],
                      "percent_of_one_core": [round(x / 36, 3) for x in per_hour]}))
    print(json.dumps({"entities": size, "ha_cpu_ms_per_call": asyncio.run(per_call(env, pid, args.repeat))}))
    sys.stdout.flush()


def hold(work, env, size):
    held = os.path.join(work, "held.env")
    with open(held, "w", encoding="utf-8") as out:
        out.write(f"HA_URL={env['HA_URL']}\nHA_TOKEN={env['HA_TOKEN']}\n")
    print(f"HA with {size} entities at {env['HA_URL']}; environment in {held}; delete it to stop", flush=True)
    while os.path.exists(held):
        time.sleep(1)


def causes(args, flags, env):
    """The warm cycle against the bare fetch + parse, in one JVM with the agent's flags (ManyCausesRun prints it)."""
    runs = [("", args.classpath)] if not args.before else \
        [("before", f"{args.before}:{args.classpath}"), ("after", args.classpath)] * args.pairs
    for name, classpath in runs:
        if name:
            print(f"--- {name} ---", flush=True)
        subprocess.run(["java", *flags, "-cp", classpath, "dev.hadiag.app.bench.ManyCausesRun", env["HA_URL"],
                        env["HA_TOKEN"], str(args.causes)], check=True)
        print(f"load average {os.getloadavg()}", flush=True)


def plugin(args, flags, work, env, size):
    """CPU (user + sys), peak RSS and wall time of the one-shot check as a monitoring system runs it: java -jar
    with the default flags, the launcher without the class-data archive, the launcher as shipped."""
    launcher = os.path.join(os.path.dirname(os.path.abspath(args.jar)), "..", "..", "bin", "ha-diag")
    bare = os.path.join(work, "bare")  # a copy of the jar with no archive beside it (a link would be resolved)
    os.makedirs(bare, exist_ok=True)
    shutil.copyfile(args.jar, os.path.join(bare, "ha-diag.jar"))
    subprocess.run([os.path.join(os.path.dirname(launcher), "ha-diag-cds")], check=True,
                   env=dict(os.environ, HA_DIAG_JAR=args.jar), stdout=subprocess.DEVNULL)
    agent = start_agent(flags, args.jar, work, env, size)
    agent_url = f"http://127.0.0.1:{agent.port}"
    variants = {"java -jar": (["java", "-jar", args.jar], {}),
                "bin/ha-diag, no archive": ([launcher], {"HA_DIAG_JAR": os.path.join(bare, "ha-diag.jar")}),
                "bin/ha-diag": ([launcher], {"HA_DIAG_JAR": args.jar})}
    if args.before_jar:
        variants["bin/ha-diag, before"] = ([launcher], {"HA_DIAG_JAR": os.path.abspath(args.before_jar)})
    commands = [["check", "unavailable_entities", "--json", "--no-emit"], ["check", "--no-emit"],
                ["check", "--agent", agent_url], ["--version"]]
    results = {}
    try:
        for _ in range(args.plugin):
            for command in commands:
                for name, (prefix, extra) in variants.items():
                    run_env = dict(os.environ, HA_URL=env["HA_URL"], HA_TOKEN=env["HA_TOKEN"], NODE_NAME="bench",
                                   HA_DIAG_EVENTS_DIR=os.path.join(work, "events"),
                                   HA_DIAG_DB=os.path.join(work, "plugin.db"), **extra)
                    started = time.monotonic()
                    process = subprocess.Popen(prefix + command, env=run_env, stdout=subprocess.DEVNULL)
                    _, status, usage = os.wait4(process.pid, 0)
                    wall = time.monotonic() - started
                    if os.waitstatus_to_exitcode(status) not in (0, 1, 2):
                        raise SystemExit(f"{name} {command}: exit {os.waitstatus_to_exitcode(status)}")
                    key = " ".join(command).replace(agent_url, "URL") + " | " + name
                    results.setdefault(key, []).append(
                        (round(usage.ru_utime + usage.ru_stime, 2), usage.ru_maxrss // 1024, round(wall, 2),
                         round(os.getloadavg()[0], 2)))
    finally:
        agent.terminate()
        agent.wait(timeout=60)
    for key, runs in results.items():
        print(json.dumps({"entities": size, "run": key, "cpu_s": [r[0] for r in runs],
                          "peak_rss_mb": [r[1] for r in runs], "wall_s": [r[2] for r in runs],
                          "load": [r[3] for r in runs]}))
    sys.stdout.flush()


async def per_call(env, pid, repeat):
    """HA's CPU for each call of a cycle, averaged over REPEAT calls, the response read to the end."""
    headers = {"Authorization": f"Bearer {env['HA_TOKEN']}"}
    result = {}
    async with aiohttp.ClientSession(headers=headers) as http:
        async def timed(name, call):
            await call()  # one unmeasured
            before = cpu_seconds(pid)
            for _ in range(repeat):
                await call()
            result[name] = round((cpu_seconds(pid) - before) * 1000 / repeat, 1)

        def rest(path):
            async def call():
                async with http.get(env["HA_URL"] + path) as r:
                    await r.read()
            return call

        await timed("GET /api/states", rest("/api/states"))
        await timed("GET /api/config/config_entries/entry", rest("/api/config/config_entries/entry"))
        await timed("GET /api/config", rest("/api/config"))
        async with http.ws_connect(env["HA_URL"] + "/api/websocket", max_msg_size=0) as ws:
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": env["HA_TOKEN"]})
            await ws.receive_json()
            ids = iter(range(1, 1_000_000))

            def command(kind, **fields):
                async def call():
                    await ws.send_json({"id": next(ids), "type": kind, **fields})
                    answer = await ws.receive_json()
                    if not answer.get("success"):
                        raise SystemExit(f"{kind}: {answer}")
                return call
            for kind in ["config/entity_registry/list", "config/entity_registry/list_for_display",
                         "config/device_registry/list", "recorder/info", "repairs/list_issues"]:
                await timed("ws " + kind, command(kind))
            await timed("ws trace/list automation", command("trace/list", domain="automation"))

            async def system_health():  # a subscription: the result, then events until "finish"
                subscription = next(ids)
                await ws.send_json({"id": subscription, "type": "system_health/info"})
                while (await ws.receive_json()).get("event", {}).get("type") != "finish":
                    pass
                await ws.send_json({"id": next(ids), "type": "unsubscribe_events", "subscription": subscription})
                while (await ws.receive_json()).get("type") != "result":
                    pass
            await timed("ws system_health/info", system_health)
    return result


if __name__ == "__main__":
    sys.exit(main())
