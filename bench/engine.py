"""How fast the pure engine answers, on the mix of steps applicants make (issue 17).

Run: ``.venv/bin/python -m bench.engine [--steps 20000] [--runs 3] [--seed 1]``.

The steps are real ones: the suite's random walker (tests/walk/walker.py) walks the shipped content and
every ``handle`` call it makes is recorded with its state, event, clock and context. The recorded steps
are sorted by what the applicant was doing and drawn in the proportions of :data:`MIX` (menus and
program pages, "which program fits me", eligibility answers, free questions, documents and contact
details). Free questions are the labelled questions of ``tests/data/`` (882, in Chinese, English and
Uyghur) rather than the walker's dozen, each drawn anew: mostly new to the engine, as an applicant's
question is (the engine keeps its latest 256 readings). Only ``dialogs.engine.handle`` is timed: no rendering, storage or channel.

Printed: steps per second min / median / max over ``--runs`` runs, each run next to a fixed workload
timed just before it in the same process (a dict copy and a JSON round trip of a conversation's state,
the least any engine step could cost), so the ratio holds on a machine that is busy with other work.
Then the CPU milliseconds of single steps: the "which program fits me" press, an eligibility answer,
a free question, a menu press and a document, each "warm" (what was worked out for earlier applicants
with the same answers is reused) and "cold" (:func:`dialogs.memo.forget_answers` before each step: the
first applicant with those answers). The compiled content (rules, requirements, question index) is
built once per content version, before anything is timed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from dialogs.callbacks import parse
from dialogs.engine import Context, handle
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, FilesEvent, TextEvent
from dialogs.flows.buttons import ALL, MenuItem, Open
from dialogs.flows.model import REGISTRY, Step
from dialogs.loader import Content, load_content
from dialogs.memo import forget_answers
from dialogs.question_reading import warm_up
from dialogs.state import State
from tests.engine_driver import Driver
from tests.walk.walker import START, RandomChooser, World, new_walker

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
#: What applicants do, in proportion: mostly buttons (the menu, a program's pages, answers), a question
#: typed now and then, documents when applying. The walker's own mix explores more than people do.
MIX: dict[str, int] = {"menu": 40, "fit-finder": 20, "eligibility": 20, "free question": 10, "documents": 10}
#: Steps of an application after the questions: documents, contact details, the review.
APPLYING = frozenset(
    {
        Step.DOCUMENTS,
        Step.AMEND_DOCUMENTS,
        Step.REVIEW,
        Step.CONTACT_NAME,
        Step.CONTACT_PHONE,
        Step.CONTACT_EMPLOYER,
        Step.CONTACT_SECTOR,
        Step.CANCEL_APPLICATION,
    }
)


@dataclass(frozen=True)
class Recorded:
    """One call of the engine, as the walker made it."""

    state: State
    event: Event
    content: Content
    now: object
    ctx: Context

    def run(self) -> None:
        handle(self.state, self.event, self.content, self.now, self.ctx)  # type: ignore[arg-type]


def kind_of(state: State, event: Event) -> str:
    """What the applicant was doing: one of :data:`MIX`'s kinds (or ``other``)."""
    if isinstance(event, FileEvent | FilesEvent):
        return "documents"
    step = Step(state.step) if state.step in set(Step) else Step.MENU
    if isinstance(event, TextEvent) and REGISTRY[step].text is None and step not in APPLYING:
        return "free question"
    if step is Step.QUESTION:
        return "fit-finder" if state.flow == "find" else "eligibility"
    if is_find_press(event) or step is Step.RANKING:
        return "fit-finder"
    if step in APPLYING:
        return "documents"
    return "menu"


def is_find_press(event: Event) -> bool:
    """The "which program fits me" button (or its command)."""
    if isinstance(event, CommandEvent):
        return event.name == "find"
    if isinstance(event, ChoiceEvent):
        press = parse(event.data, *ALL)
        return isinstance(press, Open) and press.item is MenuItem.FIND
    return False


def record(world: World, walk_steps: int, seed: int) -> dict[str, list[Recorded]]:
    """Walk ``walk_steps`` steps and keep every engine call, by kind."""
    found: dict[str, list[Recorded]] = {kind: [] for kind in MIX}

    class Recording(Driver):
        def deliver(self, event: Event) -> None:
            kind = kind_of(self.state, event)
            if kind in found:
                found[kind].append(Recorded(self.state, event, self.content, self.now, self.context()))
            super().deliver(event)

    chooser = RandomChooser(random.Random(seed))
    steps = 0
    while steps < walk_steps:
        walker = new_walker(world, chooser, render=False)
        walker.driver = Recording(**{f.name: getattr(walker.driver, f.name) for f in dataclasses.fields(Driver)})
        walker.apply(START)
        while walker.steps < 200 and steps + walker.steps < walk_steps:
            walker.step(chooser)
        steps += walker.steps
    return found


def labelled_questions() -> list[str]:
    """Every labelled question of the suite's sets (zh, en, ug)."""
    questions: list[str] = []
    for path in sorted(DATA.glob("questions*.yaml")):
        questions += [str(item["q"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    return questions


def asking(step: Recorded, questions: Sequence[str], rng: random.Random) -> Recorded:
    """A recorded free question asking one of ``questions`` instead of the walker's few."""
    return dataclasses.replace(step, event=TextEvent(rng.choice(questions)))


def mix(
    found: dict[str, list[Recorded]],
    count: int,
    rng: random.Random,
    questions: Sequence[str],
    weights: dict[str, int] = MIX,
) -> list[Recorded]:
    """``count`` steps drawn in the proportions of ``weights``; each free question drawn asks a question
    drawn anew (the engine keeps its 256 latest readings: a question asked again is read once)."""
    kinds = [k for k in weights if found.get(k) and weights[k] > 0]
    drawn = rng.choices(kinds, weights=[weights[k] for k in kinds], k=count)
    steps = [rng.choice(found[kind]) for kind in drawn]
    return [asking(s, questions, rng) if k == "free question" else s for s, k in zip(steps, drawn, strict=True)]


def baseline(state: State, seconds: float = 0.5) -> float:
    """Operations per second of the fixed workload: copy a conversation's state as a dict and send it
    through JSON and back (what storing a conversation costs at the least)."""
    document = state.to_json()
    done = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for _ in range(200):
            json.loads(json.dumps(dict(document)))
        done += 200
    return done / (time.perf_counter() - began)


def steps_per_second(steps: list[Recorded]) -> float:
    began = time.perf_counter()
    for step in steps:
        step.run()
    return len(steps) / (time.perf_counter() - began)


def cpu_ms(steps: Sequence[Recorded], *, cold: bool, repeat: int = 1) -> float:
    """Mean CPU milliseconds of one step of ``steps`` (cold: nothing remembered from earlier applicants)."""
    total = 0.0
    for step in steps:
        for _ in range(repeat):
            if cold:
                forget_answers()
            began = time.process_time()
            step.run()
            total += time.process_time() - began
    return 1000 * total / (len(steps) * repeat)


def spread(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    return " / ".join(fmt(v) for v in (min(values), statistics.median(values), max(values)))


def _weights(text: str) -> dict[str, int]:
    """``menu=20,documents=40``: the kinds named get those weights, the others none."""
    weights = {}
    for part in text.split(","):
        kind, _, weight = part.partition("=")
        if kind.strip() not in MIX or not weight.strip().isdigit():
            raise argparse.ArgumentTypeError(f"{part!r}: use kind=weight with a kind of {', '.join(MIX)}")
        weights[kind.strip()] = int(weight)
    return weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20_000, help="steps per run (default 20,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--walk", type=int, default=4_000, help="walker steps recorded (default 4,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--mix",
        type=_weights,
        default=MIX,
        help="kinds of step and their weights, e.g. menu=20,documents=40 (default: "
        + ",".join(f"{k}={w}" for k, w in MIX.items())
        + ")",
    )
    args = parser.parse_args(argv)

    began = time.perf_counter()
    content = load_content()
    warm_up(content)
    world = World.of(content)
    rng = random.Random(args.seed)
    found = record(world, args.walk, args.seed)
    questions = labelled_questions()
    found["free question"] = [asking(s, questions, rng) for s in found["free question"]]
    steps = mix(found, args.steps, rng, questions, args.mix)
    typical = statistics.median_low(len(json.dumps(s.state.to_json(), default=str)) for s in steps)
    state = next(s.state for s in steps if len(json.dumps(s.state.to_json(), default=str)) == typical)
    print(
        f"recorded {sum(map(len, found.values())):,} engine calls in {args.walk:,} walker steps "
        f"({', '.join(f'{k} {len(v):,}' for k, v in found.items())}); a run draws {args.steps:,}: "
        + ", ".join(f"{k} {w * 100 / sum(args.mix.values()):.0f}%" for k, w in args.mix.items())
    )

    rates, bases, ratios = [], [], []
    for _ in range(args.runs):
        base = baseline(state)
        rate = steps_per_second(steps)
        rates.append(rate)
        bases.append(base)
        ratios.append(rate / base)
    print(f"engine steps/s (min / median / max of {args.runs}): {spread(rates, lambda v: f'{v:,.0f}')}")
    print(
        f"baseline (dict copy + JSON round trip of a {typical:,}-byte state) ops/s: {spread(bases, lambda v: f'{v:,.0f}')}"
    )
    print(f"engine / baseline: {spread(ratios, lambda v: f'{v:.3f}')}")
    forget_answers()
    cold = steps_per_second(steps[: max(1, args.steps // 4)])
    print(f"first quarter of a run with nothing remembered (forget_answers first): {cold:,.0f} steps/s")

    finder = [s for s in found["fit-finder"] if is_find_press(s.event)][:20]
    print("CPU ms per step, warm / cold (mean):")
    rows = [('"which program fits me" press', finder)] + [(k, found[k][:200]) for k in MIX if k != "fit-finder"]
    rows.insert(1, ("fit-finder answer", [s for s in found["fit-finder"] if not is_find_press(s.event)][:200]))
    step_ms: dict[str, list[float]] = {}
    for label, chosen in rows:
        if chosen:
            warm, cold_ms = cpu_ms(chosen, cold=False, repeat=3), cpu_ms(chosen, cold=True)
            step_ms[label] = [warm, cold_ms]
            print(f"  {label:32} {warm:7.3f} / {cold_ms:7.3f}   ({len(chosen)} steps)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"seconds in all: {time.perf_counter() - began:.1f}")
    triple = [min(rates), statistics.median(rates), max(rates)]
    ratio = [min(ratios), statistics.median(ratios), max(ratios)]
    result = {"bench": "engine", "steps_per_second": triple, "ratio": ratio, "step_cpu_ms": step_ms}
    print("RESULT " + json.dumps(result))  # for python -m bench
    return 0


if __name__ == "__main__":
    sys.exit(main())
