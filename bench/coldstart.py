"""Cold start: wall time of ``python -m bot ask`` from a fresh process on the seed policies, beside ``python -c pass``.

Goal (issue 8): <= 1.0 s wall. Each command runs N times, interleaved, each in a new interpreter; prints p50, min and
max, the ratio to ``python -c pass`` measured in the same run, which heavy modules the ``ask`` path imported
(none of slack_bolt, slack_sdk, sqlalchemy, aiohttp, jinja2, aiosmtplib, asyncio... should be), and the slowest imports
(``python -X importtime``, per package).

Usage: .venv/bin/python bench/coldstart.py [--runs 10] [--knowledge DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
# Modules the ask path must not import (tests/test_ask_imports.py holds the same list).
FORBIDDEN = ("slack_bolt", "slack_sdk", "sqlalchemy", "aiohttp", "jinja2", "aiosmtplib", "aiosmtpd", "asyncpg",
             "alembic", "asyncio")
HEAVY = (*FORBIDDEN, "numpy", "yaml")
ASKS = {
    "ask --org infentre": ["ask", "How long do you keep my data?", "--org", "infentre"],
    "ask, org named in text": ["ask", "How long does Infentre keep my data?"],
    "ask, Swedish request": ["ask", "Hej! Radera alla mina personuppgifter hos Centiro, tack."],
}
# Reports which of HEAVY the CLI imported while answering; the answer itself goes to /dev/null.
PROBE = """
import contextlib, io, json, sys
from bot.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "imported": [m for m in HEAVY if m in sys.modules]}))
"""

# Where an ask's time goes inside the process (one run): importing, loading + indexing, answering.
PHASES = """
import json, time
t0 = time.perf_counter()
from bot.runtime import build_assistant, load_settings
t1 = time.perf_counter()
assistant = build_assistant(load_settings().knowledge_dir)
t2 = time.perf_counter()
assistant.respond("How long do you keep my data?", org="infentre")
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load and index": t2 - t1, "answer": t3 - t2}))
"""


def environment(knowledge: str | None) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", str(PROJECT)),
           "LANG": "C.UTF-8"}
    if knowledge:
        env["KNOWLEDGE_DIR"] = knowledge
    return env


def wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return elapsed


def import_costs(argv: list[str], env: dict[str, str], count: int = 8) -> list[tuple[str, float]]:
    """Import time (ms, self) summed per package (``bot.*`` per sub-package), from one ``-X importtime`` run."""
    done = subprocess.run([sys.executable, "-X", "importtime", *argv], cwd=PROJECT, env=env, capture_output=True,
                          text=True, check=True)
    costs: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _, name = line[len("import time:"):].split("|")
        parts = name.strip().split(".")
        package = ".".join(parts[:3] if parts[0] == "bot" else parts[:1])
        costs[package] = costs.get(package, 0.0) + int(own) / 1000
    return sorted(costs.items(), key=lambda item: -item[1])[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--knowledge", help="knowledge folder (default: the five seed policies)")
    args = parser.parse_args()
    env = environment(args.knowledge)
    commands = {"python -c pass": [sys.executable, "-c", "pass"]}
    commands |= {name: [sys.executable, "-m", "bot", *argv] for name, argv in ASKS.items()}
    for argv in commands.values():  # one unmeasured run each: the OS file cache, .pyc files
        wall(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so drift in machine load touches every command alike
        for name, argv in commands.items():
            times[name].append(wall(argv, env))

    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), "?")
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} CPU(s); Python {platform.python_version()}; "
          f"{args.runs} runs each")
    reference = statistics.median(times["python -c pass"])
    print(f"{'command':26} {'p50 s':>7} {'min s':>7} {'max s':>7} {'x pass':>8}")
    for name, values in times.items():
        p50 = statistics.median(values)
        print(f"{name:26} {p50:7.3f} {min(values):7.3f} {max(values):7.3f} {p50 / reference:8.1f}")
    worst = max(statistics.median(v) for n, v in times.items() if n != "python -c pass")
    print(f"goal <= 1.000 s wall: {'met' if worst <= 1.0 else 'NOT met'} (slowest ask p50 {worst:.3f} s)")

    probe = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", *ASKS["ask --org infentre"]],
                           cwd=PROJECT, env=env, capture_output=True, text=True, check=True)
    imported = json.loads(probe.stdout.strip().splitlines()[-1])["imported"]
    forbidden = [m for m in imported if m in FORBIDDEN]
    print(f"heavy modules imported by ask: {', '.join(imported) or 'none'}"
          f" ({'none of ' + ', '.join(FORBIDDEN) if not forbidden else 'FORBIDDEN: ' + ', '.join(forbidden)})")
    phases = subprocess.run([sys.executable, "-c", PHASES], cwd=PROJECT, env=env, capture_output=True, text=True,
                            check=True)
    split = json.loads(phases.stdout.strip().splitlines()[-1])
    print("inside one ask: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in split.items()))
    print("costliest imports of ask --org infentre (ms, summed per package, one -X importtime run):")
    for name, ms in import_costs(["-m", "bot", *ASKS["ask --org infentre"]], env):
        print(f"  {ms:7.1f}  {name}")
    return 1 if forbidden else 0


def _cpuinfo() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


if __name__ == "__main__":
    sys.exit(main())
