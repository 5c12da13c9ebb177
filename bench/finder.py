"""How many questions the fit-finder asks: every persona journey of the eligibility tests, answered truly.

Run: ``.venv/bin/python -m bench.finder [--matcher FILE]`` (``--matcher``: take ``next_question`` from
another version of ``dialogs/matcher.py``, e.g. one saved from ``main``, to compare).

Each persona and each variant of ``tests/test_eligibility_personas.py`` is an applicant whose
answers are known. The finder (:func:`dialogs.matcher.next_question`) is run as the dialog runs
it: over every track ("which program fits me"), and over the persona's own track ("am I
eligible"); each question is answered from the profile, or skipped ("I don't know") when the
profile does not hold the fact. Prints the number of journeys, the mean, median and largest
number of questions asked in each mode, the questions that could not change any verdict
(:func:`dialogs.relevance.mattering_for_all`: no answer to the others and no two answers to this
one give different verdicts), the questions resting on a list the notice does not contain, and
the seconds spent.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dialogs.eligibility import Verdict, assess
from dialogs.facts import FactValue
from dialogs.loader import Content, load_content
from dialogs.matcher import Pair, next_question
from dialogs.relevance import list_facts, mattering_for_all
from tests.test_eligibility_personas import PERSONAS, VARIANTS, with_changes

Finder = Callable[..., str | None]


def journey(
    pairs: Sequence[Pair], profile: Mapping[str, object], content: Content, finder: Finder = next_question
) -> tuple[list[str], int, int]:
    """The facts the finder asks, in order, for an applicant who answers from ``profile``; with how
    many of them could change no verdict, and how many rest on a list nobody has."""
    facts: dict[str, FactValue] = {}
    skipped: list[str] = []
    asked: list[str] = []
    useless = unanswerable = 0
    lists = list_facts(content.facts)
    while (fact := finder(pairs, facts, content, skipped)) is not None:
        asked.append(fact)
        undecided = [a for p, t in pairs if (a := assess(p, t, facts, content.facts)).verdict is Verdict.UNDETERMINED]
        useless += fact not in mattering_for_all(undecided, facts, content.facts, set(skipped) | lists)
        unanswerable += fact in lists
        if fact in profile:
            facts[fact] = profile[fact]  # type: ignore[assignment]
        else:
            skipped.append(fact)
        if len(asked) > len(content.facts):
            raise RuntimeError(f"the finder asked {fact} again")
    return asked, useless, unanswerable


def profiles() -> list[tuple[str, str, str | None, dict[str, object]]]:
    """(name, program, track, profile) for every persona and variant."""
    found = [(name, p.program, p.track, dict(p.facts)) for name, p in PERSONAS.items()]
    for v in VARIANTS:
        persona = PERSONAS[v.persona]
        found.append((v.id, persona.program, persona.track, with_changes(persona.facts, v.changes)))
    return found


def _finder(path: str | None) -> Finder:
    if path is None:
        return next_question
    spec = importlib.util.spec_from_file_location("matcher_under_test", path)
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    found: Finder = module.next_question
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.finder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--matcher", help="a matcher.py file to take next_question from (default: this one)")
    args = parser.parse_args(argv)
    finder = _finder(args.matcher)
    content = load_content()
    every = content.tracks()
    counts: dict[str, list[int]] = {"find": [], "check": []}
    useless = {"find": 0, "check": 0}
    unanswerable = {"find": 0, "check": 0}
    began = time.perf_counter()
    for _name, program_id, track_id, profile in profiles():
        program = content.program(program_id)
        own = [(program, program.track(track_id))]
        for mode, pairs in (("find", every), ("check", own)):
            asked, idle, blind = journey(pairs, profile, content, finder)
            counts[mode].append(len(asked))
            useless[mode] += idle
            unanswerable[mode] += blind
    seconds = time.perf_counter() - began
    for mode, numbers in counts.items():
        print(
            f"{mode}: {len(numbers)} journeys, questions mean {statistics.mean(numbers):.2f},"
            f" median {statistics.median(numbers):g}, max {max(numbers)}, total {sum(numbers)};"
            f" that could change no verdict: {useless[mode]}; on a list nobody has: {unanswerable[mode]}"
        )
    print(f"seconds: {seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
