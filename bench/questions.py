"""How many questions the dialog asks, against a fixed form, over the persona set; and how many were useless.

Run: ``.venv/bin/python bench/questions.py [--matcher FILE]``. Each persona of
``tests/test_eligibility_personas.py`` (the admitted applicants and every
variant that fails one requirement) answers the dialog; a fact the persona does
not have is answered "I don't know". Two journeys each: "which program fits me"
(every track) and "am I eligible" (the persona's own track). Pickers:

- fixed form: every fact any rule reads (the baseline);
- content order: the first fact, in facts.yaml order, that an undecided track still needs;
- decisive (the bot): the fact whose worst-case answer decides the most tracks;
- with ``--matcher FILE``, the ``next_question`` of another version of ``dialogs/matcher.py`` (say,
  one saved from ``main``), to compare.

Besides the counts: questions that could change no verdict when asked
(:func:`dialogs.relevance.mattering_for_all`: no answers to the facts still open and
no two answers to this one give different verdicts), and questions about a list the
notice does not contain (``needs_list`` in facts.yaml).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialogs.eligibility import Verdict  # noqa: E402
from dialogs.loader import Content, load_content  # noqa: E402
from dialogs.matcher import Pair, assess_all, fixed_form_size, next_question  # noqa: E402
from dialogs.relevance import list_facts, mattering_for_all  # noqa: E402
from tests.test_eligibility_personas import PERSONAS, VARIANTS, with_changes  # noqa: E402

Picker = Callable[[Sequence[Pair], dict[str, Any], Content, Iterable[str]], str | None]


@dataclass
class Tally:
    counts: list[int]
    useless: int = 0
    on_lists: int = 0
    seconds: float = 0.0


def content_order(pairs: Sequence[Pair], facts: dict[str, Any], content: Content, skipped: Iterable[str]) -> str | None:
    undecided = [a for a in assess_all(pairs, facts, content.facts) if a.verdict is Verdict.UNDETERMINED]
    needed = {f for a in undecided for f in a.missing} - set(skipped)
    return next((f for f in content.facts if f in needed), None)


def run(picker: Picker, journeys: list[tuple[Sequence[Pair], Mapping[str, object]]], content: Content) -> Tally:
    tally = Tally([])
    lists = list_facts(content.facts)
    for pairs, person in journeys:
        known: dict[str, Any] = {}
        skipped: set[str] = set()
        asked = 0
        while True:
            began = time.perf_counter()
            fact = picker(pairs, known, content, skipped)
            tally.seconds += time.perf_counter() - began
            if fact is None:
                break
            asked += 1
            undecided = [a for a in assess_all(pairs, known, content.facts) if a.verdict is Verdict.UNDETERMINED]
            tally.useless += fact not in mattering_for_all(undecided, known, content.facts, skipped | lists)
            tally.on_lists += fact in lists
            if fact in person:
                known[fact] = person[fact]
            else:
                skipped.add(fact)
        tally.counts.append(asked)
    return tally


def other_matcher(path: str) -> Picker:
    """``next_question`` from another copy of ``dialogs/matcher.py``."""
    spec = importlib.util.spec_from_file_location("matcher_under_test", path)
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    found: Picker = module.next_question
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matcher", help="another matcher.py to compare (its next_question)")
    args = parser.parse_args(argv)
    content = load_content()
    people: list[tuple[str, str | None, Mapping[str, object]]] = [
        (p.program, p.track, p.facts) for p in PERSONAS.values()
    ]
    people += [
        (PERSONAS[v.persona].program, PERSONAS[v.persona].track, with_changes(PERSONAS[v.persona].facts, v.changes))
        for v in VARIANTS
    ]
    every = content.tracks()
    modes: dict[str, list[tuple[Sequence[Pair], Mapping[str, object]]]] = {
        "find": [(every, facts) for _, _, facts in people],
        "check": [([(content.program(p), content.program(p).track(t))], facts) for p, t, facts in people],
    }
    pickers: list[tuple[str, Picker]] = [("content order", content_order), ("decisive (bot)", next_question)]
    if args.matcher:
        pickers.append(("--matcher", other_matcher(args.matcher)))
    form = fixed_form_size(every)
    print(f"personas: {len(people)}; fixed form: {form} questions for every persona")
    for mode, journeys in modes.items():
        print(f"{mode} ({'every track' if mode == 'find' else 'the persona’s own track'}):")
        for name, picker in pickers:
            tally = run(picker, journeys, content)
            counts = tally.counts
            mean = statistics.mean(counts)
            per_question = tally.seconds / max(sum(counts), 1) * 1000
            print(
                f"  {name:15} mean {mean:5.2f}  median {statistics.median(counts):4g}  max {max(counts):3}"
                f"  mean/fixed form {mean / form:6.1%}  could change no verdict {tally.useless:4}"
                f"  on a list nobody has {tally.on_lists:3}  ({per_question:.2f} ms per question picked)"
            )


if __name__ == "__main__":
    main()
