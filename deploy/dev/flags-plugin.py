#!/usr/bin/env python3
"""The one-shot check's CPU and peak RSS under different JVM flags or jars, alternated (docs/performance.md,
"The launcher"): against an HA already set up, e.g. the 20,000-entity one of `bench.sh ha-cost --sizes 20000
--hold`, whose environment file it reads. Each VARIANT is `[JAR|]FLAGS`: the launcher's HA_DIAG_JAR (default
the build's jar) and HA_DIAG_JAVA_OPTS ("" = as shipped).

  python3 deploy/dev/flags-plugin.py ENV_FILE ROUNDS "" "-Xmn8m" "/tmp/old/ha-diag.jar|" ...
  CMD="check --no-emit" ... (default: check unavailable_entities --json --no-emit)
"""
import os
import subprocess
import sys
import tempfile


def main() -> int:
    env_file, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    launcher = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bin", "ha-diag")
    work = tempfile.mkdtemp(prefix="ha-diag-flags-plugin-")
    env = dict(os.environ, NODE_NAME="bench", HA_DIAG_EVENTS_DIR=os.path.join(work, "events"),
               HA_DIAG_DB=os.path.join(work, "plugin.db"))
    with open(env_file, encoding="utf-8") as f:
        env.update(line.strip().split("=", 1) for line in f if "=" in line)
    command = os.environ.get("CMD", "check unavailable_entities --json --no-emit").split()
    results = {v: [] for v in variants}
    for _ in range(rounds):
        for variant in variants:
            jar, _, opts = variant.rpartition("|")
            run_env = dict(env, HA_DIAG_JAVA_OPTS=opts, **({"HA_DIAG_JAR": jar} if jar else {}))
            process = subprocess.Popen([launcher] + command, env=run_env, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            results[variant].append((round(usage.ru_utime + usage.ru_stime, 2), usage.ru_maxrss // 1024,
                                     os.waitstatus_to_exitcode(status)))
    for variant, runs in results.items():
        print(f"{variant or '(as shipped)':60s} cpu s {[r[0] for r in runs]} peak rss MB {[r[1] for r in runs]}"
              f" exit {sorted({r[2] for r in runs})}")
    print("load average", os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
