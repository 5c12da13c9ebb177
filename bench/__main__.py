"""Every benchmark in one command, then one table: issue 17's rows, the figure now, the goal.

Run: ``.venv/bin/python -m bench [--workers] [--smoke] [--only NAME,...]``

Each benchmark of ``bench/`` runs as its own subprocess (so imports, caches and memory of one do not
colour the next), one after another (two cores: side by side they would measure each other), at
sizes reduced so that the whole command stays under five minutes on this machine (2 shared cores);
its human output is passed through as it comes, and its last line ``RESULT {json}`` is read for the
table. Every figure in the table is min / median / max over that bench's runs, or its median where
space is short; ratios are taken within one run against a baseline measured in the same run, as each
bench explains. The "before" column is a constant: the figures issue 17 measured on ``main`` before
any of its work, kept for comparison and never re-measured. Whether a goal is met is judged on the
median.

``--workers`` adds the 3-worker test (``tests/workers/test_three_workers.py``: 1 and 3 webhook workers
on PostgreSQL and Redis; about two minutes, which would take the command past five) and its figures.
``--smoke`` runs every bench at tiny sizes and side by side (about a minute and a half here, most of
it processes starting): for the test that keeps this command working, not for figures. The per-bench commands (README, "Benchmarks") take larger sizes for closer figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
#: Conversations the memory bench starts within the five minutes (the row is about 10,000: see _rss).
MEMORY_CONVERSATIONS = 10_000


@dataclass(frozen=True)
class Bench:
    name: str
    #: Arguments after ``python``: full (under five minutes in all) and smoke (seconds).
    full: tuple[str, ...]
    smoke: tuple[str, ...]


BENCHES = (
    Bench(
        "engine",
        ("-m", "bench.engine", "--steps", "5000", "--runs", "3"),
        ("-m", "bench.engine", "--steps", "200", "--runs", "1", "--walk", "300"),
    ),
    Bench(
        "service",
        ("bench/service.py", "--runs", "3", "--levels", "1,10,50,200,1000"),
        ("bench/service.py", "--runs", "1", "--levels", "1,10"),
    ),
    Bench(
        "telegram_paths",
        ("bench/telegram_paths.py", "--runs", "3", "--updates", "60"),
        ("bench/telegram_paths.py", "--runs", "1", "--updates", "5"),
    ),
    Bench(
        "outside_in",
        ("bench/outside_in.py", "--runs", "3", "--kept-runs", "1", "--applicants", "100", "--steps", "4"),
        ("bench/outside_in.py", "--runs", "1", "--applicants", "3", "--steps", "2"),
    ),
    Bench(
        "startup",
        ("bench/startup.py", "--runs", "2", "--skip-rss"),
        ("bench/startup.py", "--runs", "1", "--skip-rss"),
    ),
    # the row's 10,000 conversations: 20-40 s per runtime here (270-450 /start a second through the
    # whole Telegram path, limit lifted)
    Bench(
        "memory",
        ("bench/startup.py", "--runs", "1", "--skip-start", "--conversations", str(MEMORY_CONVERSATIONS)),
        ("bench/startup.py", "--runs", "1", "--skip-start", "--conversations", "20"),
    ),
)

WORKERS_TEST = "tests/workers/test_three_workers.py"
#: The issue's row is about this many conversations in flight.
ROW_CONVERSATIONS = 10_000


def run_bench(name: str, arguments: tuple[str, ...], *, stream: bool = True) -> tuple[dict[str, Any] | None, float]:
    """Run one bench, pass its output through (as it comes, or in one piece at its end when benches run
    side by side), return its ``RESULT`` and its wall time."""
    heading = f"\n== {name}: python {' '.join(arguments)}"
    if stream:
        print(heading, flush=True)
    began = time.perf_counter()
    result: dict[str, Any] | None = None
    shown: list[str] = []
    with subprocess.Popen(
        [PYTHON, *arguments], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line.removeprefix("RESULT "))
            elif stream:
                print(f"   {line}", end="", flush=True)
            else:
                shown.append(f"   {line}")
    seconds = time.perf_counter() - began
    if process.returncode != 0:
        shown.append(f"   !! {name} failed (exit {process.returncode})\n")
        result = None
    shown.append(f"   ({seconds:.0f} s)\n")
    print(("" if stream else heading + "\n") + "".join(shown), end="", flush=True)
    return result, seconds


def run_workers() -> tuple[dict[str, Any] | None, float]:
    """The 3-worker test, its printed figures read back (it is a test: it prints, it has no RESULT)."""
    arguments = ("-m", "pytest", "-q", "-n0", "-s", "-p", "no:cacheprovider", WORKERS_TEST)
    print(f"\n== workers: python {' '.join(arguments)}", flush=True)
    began = time.perf_counter()
    env = dict(os.environ)
    env.setdefault("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    completed = subprocess.run([PYTHON, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    print("".join(f"   {line}\n" for line in completed.stdout.splitlines()[-12:]), end="")
    lines = {
        int(m["workers"]): m
        for m in re.finditer(
            r"^(?P<workers>\d+) worker\(s\): (?P<applicants>\d+) applicants.* = (?P<rate>[\d.]+) applicants/s.*"
            r"p50 (?P<p50>\d+) ms, p99 (?P<p99>\d+) ms",
            completed.stdout,
            re.MULTILINE,
        )
    }
    print(f"   ({seconds:.0f} s)", flush=True)
    if completed.returncode != 0 or not {1, 3} <= lines.keys():
        print(f"   !! workers test failed (exit {completed.returncode})", flush=True)
        return None, seconds
    return {
        str(n): {
            "applicants": int(lines[n]["applicants"]),
            "per_second": float(lines[n]["rate"]),
            "p50_ms": int(lines[n]["p50"]),
            "p99_ms": int(lines[n]["p99"]),
        }
        for n in (1, 3)
    }, seconds


# --------------------------------------------------------------------------- the table


def fmt(value: float) -> str:
    """A figure with as many digits as it deserves."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def spread(values: list[float], unit: str = "") -> str:
    return " / ".join(fmt(v) for v in values) + unit


def mid(values: list[float]) -> float:
    return values[1] if len(values) == 3 else statistics.median(values)


def seconds_or_ms(ms: float) -> str:
    return f"{fmt(ms / 1000)} s" if ms >= 1000 else f"{fmt(ms)} ms"


@dataclass(frozen=True)
class Row:
    what: str
    before: str
    goal: str
    bench: str
    #: The figure now, and whether the goal is met (None: no goal to judge), from the bench's RESULT.
    now: Callable[[dict[str, Any]], tuple[str, bool | None]]


def _in_process(runtime: str) -> Callable[[dict[str, Any]], tuple[str, bool | None]]:
    def now(result: dict[str, Any]) -> tuple[str, bool | None]:
        figures = result["runtimes"][runtime]
        bot, echo, kept = figures["bot"], figures["echo"], figures["bot30"]
        text = (
            f"{fmt(mid(bot['per_second']))}/s vs {fmt(mid(echo['per_second']))}/s: **{spread(bot['ratio'], 'x')}**"
            f" (30 msg/s kept: {fmt(mid(kept['ratio']))}x)"
        )
        return text, mid(bot["ratio"]) >= 0.25

    return now


def _outside_in(result: dict[str, Any]) -> tuple[str, bool | None]:
    parts, met = [], True
    for runtime, figures in result["runtimes"].items():
        bot, kept = figures["bot"], figures["bot30"]
        parts.append(
            f"{runtime} **{spread(bot['ratio'], 'x')}** ({fmt(mid(bot['per_second']))} vs"
            f" {fmt(mid(figures['echo']['per_second']))} replies/s, p99 {seconds_or_ms(mid(bot['p99_ms']))};"
            f" 30 msg/s kept: {fmt(mid(kept['ratio']))}x)"
        )
        met = met and mid(bot["ratio"]) >= 0.5
    return "; ".join(parts), met


def _engine(result: dict[str, Any]) -> tuple[str, bool | None]:
    steps = result["step_cpu_ms"]
    press = steps.get('"which program fits me" press', [float("nan")] * 2)
    answer = steps.get("eligibility", [float("nan")] * 2)
    text = (
        f"**{spread(result['steps_per_second'], ' steps/s')}**; fit-finder press {fmt(press[0])} ms warm,"
        f" {fmt(press[1])} cold; eligibility answer {fmt(answer[0])} / {fmt(answer[1])} ms"
    )
    return text, mid(result["steps_per_second"]) >= 20_000


def _service(result: dict[str, Any]) -> tuple[str, bool | None]:
    text = (
        f"{spread(result['ratio'], 'x')}, **{fmt(mid(result['statements']))} SQL statements per event**,"
        f" {fmt(mid(result['start_cpu_ms']))} ms CPU for /start"
    )
    return text, mid(result["statements"]) <= 2 and mid(result["ratio"]) >= 0.8


def _latency(result: dict[str, Any]) -> tuple[str, bool | None]:
    p99 = result["p99_ms"]
    text = " · ".join(f"{int(n):,}: {seconds_or_ms(mid(values))}" for n, values in p99.items())
    return text, mid(p99["200"]) < 50 if "200" in p99 else None


def _rss(result: dict[str, Any]) -> tuple[str, bool | None]:
    """With :data:`MEMORY_CONVERSATIONS` conversations (the row's 10,000 unless changed). Fewer are never
    projected: most of what conversations add comes with the first ones (bounded caches filling up;
    1,000 added about 10 MB to aiogram's bot and 10,000 about 17 MB), so a line through two points would
    err far high. Memory only grows with conversations, so a figure over the goal with fewer already
    fails it; one under it says nothing about 10,000."""
    measured = result["conversations"]
    figures = result["rss"]
    parts = [
        f"{runtime} **{fmt(mid(f['loaded_mb']))} MB** (idle {fmt(mid(f['idle_mb']))} MB)"
        for runtime, f in figures.items()
    ]
    text = f"with {measured:,} conversations: " + ", ".join(parts)
    if "aiogram" not in figures:
        return text, None
    loaded = mid(figures["aiogram"]["loaded_mb"])
    if measured >= ROW_CONVERSATIONS:
        return text, loaded < 150
    return text, False if loaded >= 150 else None


def _cold_start(result: dict[str, Any]) -> tuple[str, bool | None]:
    starts = result["cold_start"]
    text = ", ".join(f"{name} {fmt(mid(figures['restart_s']))} s" for name, figures in starts.items())
    text += f" (restart; on an empty data folder terminal {fmt(mid(starts['terminal']['first_s']))} s)"
    return text, mid(starts["terminal"]["restart_s"]) < 0.5


def _workers(result: dict[str, Any]) -> tuple[str, bool | None]:
    one, three = result["1"], result["3"]
    text = (
        f"3 workers ({three['applicants']} applicants) {fmt(three['per_second'])} applicants/s,"
        f" p99 {seconds_or_ms(three['p99_ms'])}; 1 worker ({one['applicants']}) {fmt(one['per_second'])}/s,"
        f" p99 {seconds_or_ms(one['p99_ms'])}: **{fmt(three['per_second'] / one['per_second'])}x**"
    )
    return text, None


ROWS = (
    Row(
        "full aiogram path in-process vs a bare aiogram echo bot (updates/s, ratio, limit lifted)",
        "61–80 updates/s vs 863–2,205/s: 0.035 / 0.042 / 0.071x",
        "≥ 0.25x",
        "telegram_paths",
        _in_process("aiogram"),
    ),
    Row(
        "the same for PTB",
        "72–96/s: 0.030 / 0.039 / 0.040x",
        "≥ 0.25x",
        "telegram_paths",
        _in_process("ptb"),
    ),
    Row(
        "outside-in: 100 applicants over HTTP against a loopback Bot API server, bot vs echo bot (limit lifted)",
        "aiogram 0.05–0.19x, PTB 0.22–0.72x",
        "≥ 0.5x",
        "outside_in",
        _outside_in,
    ),
    Row(
        "pure engine, realistic mix",
        "369 / 385 / 555 steps/s; fit-finder press 41 ms CPU; an eligibility answer 10.8 ms",
        "≥ 20,000 steps/s",
        "engine",
        _engine,
    ),
    Row(
        "one event through bot/service.py (1 user) vs a plain read-write-commit loop",
        "0.24 / 0.30 / 0.56x, 6 SQL statements per event, 7–10 ms CPU for /start",
        "≤ 2 statements, ≥ 0.8x",
        "service",
        _service,
    ),
    Row(
        "p99 reply latency with N concurrent users (service path)",
        "1: 12 ms · 10: 249 ms · 50: 3.3 s · 200: 3.6 s · 1,000: 21 s",
        "< 50 ms at 200 users",
        "service",
        _latency,
    ),
    Row(
        "RSS with 10,000 conversations in flight",
        "aiogram 299 MB (idle 278 MB), PTB 183 MB",
        "< 150 MB aiogram",
        "memory",
        _rss,
    ),
    Row(
        "cold start to first reply",
        "terminal 1.9 s, aiogram 6.3 s, PTB 2.8 s",
        "terminal < 0.5 s",
        "startup",
        _cold_start,
    ),
    Row(
        "3 webhook workers vs 1 on PostgreSQL + Redis (--workers)",
        "(no workers)",
        "printed against 1 worker",
        "workers",
        _workers,
    ),
)


def table(results: dict[str, dict[str, Any] | None]) -> tuple[str, int]:
    """The Markdown table of the rows whose bench ran, and how many have no figure (their bench failed)."""
    lines = [
        "| what | before issue 17 (main) | now (min / median / max) | goal | met |",
        "|---|---|---|---|---|",
    ]
    missing = 0
    for row in ROWS:
        if row.bench not in results:
            continue
        result = results[row.bench]
        if result is None:
            figure, met = "**no figure: the bench failed**", None
            missing += 1
        else:
            figure, met = row.now(result)
        verdict = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {row.what} | {row.before} | {figure} | {row.goal} | {verdict} |")
    return "\n".join(lines), missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", action="store_true", help="add the 3-worker test (about two minutes more)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds: checks the command, not figures")
    parser.add_argument("--only", help="comma-separated benches: " + ", ".join(b.name for b in BENCHES))
    args = parser.parse_args(argv)
    chosen = {name.strip() for name in args.only.split(",")} if args.only else {b.name for b in BENCHES}
    unknown = chosen - {b.name for b in BENCHES}
    if unknown:
        parser.error(f"no bench named {', '.join(sorted(unknown))}")
    began = time.perf_counter()
    results: dict[str, dict[str, Any] | None] = {}
    took: dict[str, float] = {}
    benches = [bench for bench in BENCHES if bench.name in chosen]
    if args.smoke:  # figures do not matter here, only that every bench runs through: side by side is quicker
        with ThreadPoolExecutor(len(benches)) as pool:
            done = pool.map(lambda bench: run_bench(bench.name, bench.smoke, stream=False), benches)
            for bench, (result, seconds) in zip(benches, done, strict=True):
                results[bench.name], took[bench.name] = result, seconds
    else:
        for bench in benches:
            results[bench.name], took[bench.name] = run_bench(bench.name, bench.full)
    if args.workers:
        results["workers"], took["workers"] = run_workers()
    rendered, missing = table(results)
    print(f"\nIssue 17's table, measured now{' (smoke sizes: not figures)' if args.smoke else ''}:\n")
    print(rendered)
    total = time.perf_counter() - began
    print("\n" + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in took.items()) + f"; {total:.0f} s in all")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
