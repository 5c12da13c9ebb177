"""Random walks through the pure applicant engine: how fast it runs and what breaks.

Run: ``.venv/bin/python -m bench.walk [--steps 1000000] [--seed N] [--walk 200] [--no-render] [--shorten 5]``.

The walker is the suite's (tests/walk/walker.py), choosing with ``random.Random(seed)``: walks of
``--walk`` steps from a fresh conversation (a new person, language and clock each), until ``--steps``.
Prints the steps, walks, seconds and steps per second (all of it, and the engine's own share: the time
inside ``handle``, probes for the invariants included), then every exception and every broken invariant
grouped by cause (type and location, or which invariant and which screens), with how often, and the
first reproducer of each, shortened by delta debugging within ``--shorten`` seconds. The exit status is
1 when anything failed, so a long run can gate a release.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from dialogs.loader import load_content
from tests.walk.walker import START, Failure, RandomChooser, World, new_walker, shorten


@dataclass
class Group:
    first: Failure
    count: int = 0
    walks: set[int] = field(default_factory=set)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.walk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=100_000, help="steps in all (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of random.Random (default 1)")
    parser.add_argument("--walk", type=int, default=200, help="steps per walk before a fresh conversation")
    parser.add_argument("--no-render", action="store_true", help="do not render replies (engine only)")
    parser.add_argument("--shorten", type=float, default=5.0, help="seconds to shorten each reproducer (0: off)")
    parser.add_argument("--progress", type=int, default=0, help="print a line every N steps")
    args = parser.parse_args(argv)

    world = World.of(load_content())
    chooser = RandomChooser(random.Random(args.seed))
    groups: dict[tuple[str, str], Group] = {}
    seen: Counter[str] = Counter()
    steps = walks = engine_calls = event_calls = 0
    engine_seconds = event_seconds = 0.0
    began = time.perf_counter()
    while steps < args.steps:
        walker = new_walker(world, chooser, render=not args.no_render)
        walks += 1
        found = walker.apply(START)
        while True:
            for failure in found:
                group = groups.setdefault((failure.kind, failure.signature), Group(failure))
                group.count += 1
                group.walks.add(walks)
            if walker.steps >= args.walk or steps + walker.steps >= args.steps:
                break
            found = walker.step(chooser)
        steps += walker.steps
        engine_seconds += walker.engine_seconds
        engine_calls += walker.engine_calls
        event_seconds += walker.event_seconds
        event_calls += walker.event_calls
        seen.update(walker.seen)
        if args.progress and steps // args.progress != (steps - walker.steps) // args.progress:
            print(
                f"  … {steps:,} steps, {time.perf_counter() - began:.0f} s, {len(groups)} kinds of failure", flush=True
            )
    seconds = time.perf_counter() - began

    print(f"steps: {steps:,} in {walks:,} walks of up to {args.walk} (seed {args.seed})")
    print(f"seconds: {seconds:.1f}, steps/second: {steps / seconds:,.0f} (walker, invariants and rendering included)")
    print(
        f"pure engine: {event_calls:,} events in {event_seconds:.1f} s inside handle(), {event_calls / event_seconds:,.0f} events/second;"
        f" with the invariants' probes {engine_calls:,} handle() calls in {engine_seconds:.1f} s"
    )
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"screens reached ({len(seen)} kinds): " + ", ".join(f"{k[:40]!r} {n:,}" for k, n in seen.most_common()))
    exceptions = {k: g for k, g in groups.items() if k[0] in ("exception", "render", "bare_start")}
    invariants = {k: g for k, g in groups.items() if k not in exceptions}
    for title, chosen in (("exceptions", exceptions), ("invariant failures", invariants)):
        total = sum(g.count for g in chosen.values())
        print(f"{title}: {total:,} in {len(chosen)} groups")
        for (kind, signature), group in sorted(chosen.items(), key=lambda kv: -kv[1].count):
            print(f"  [{kind}] {signature}  x{group.count:,} in {len(group.walks):,} walks")
            if group.first.detail:
                print(f"      {group.first.detail[:300]}")
            actions = shorten(world, group.first, args.shorten) if args.shorten > 0 else group.first.actions
            group.first.actions = actions
            print(f"      reproducer ({len(actions)} steps): " + " → ".join(group.first.reproducer()))
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
