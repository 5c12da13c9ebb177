"""How many questions "which program fits me" asks, against a fixed form, over the persona set.

Run: ``.venv/bin/python bench/questions.py``. Each persona of
``tests/test_eligibility_personas.py`` (the admitted applicants and every
variant that fails one requirement) answers the dialog; a fact the persona does
not have is answered "I don't know". Three pickers run in the same process:

- fixed form: every fact any rule reads (the baseline);
- content order: the first fact, in facts.yaml order, that an undecided track still needs;
- decisive (the bot): the fact whose worst-case answer decides the most tracks.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialogs.eligibility import Verdict  # noqa: E402
from dialogs.loader import Content, load_content  # noqa: E402
from dialogs.matcher import Pair, assess_all, fixed_form_size, next_question  # noqa: E402
from tests.test_eligibility_personas import PERSONAS, VARIANTS, with_changes  # noqa: E402

Picker = Callable[[list[Pair], dict[str, object], Content, set[str]], str | None]


def content_order(pairs: list[Pair], facts: dict[str, object], content: Content, skipped: set[str]) -> str | None:
    undecided = [a for a in assess_all(pairs, facts, content.facts) if a.verdict is Verdict.UNDETERMINED]
    needed = {f for a in undecided for f in a.missing} - skipped
    return next((f for f in content.facts if f in needed), None)


def run(picker: Picker, people: list[Mapping[str, object]], content: Content) -> list[int]:
    pairs = content.tracks()
    counts = []
    for person in people:
        known: dict[str, object] = {}
        skipped: set[str] = set()
        asked = 0
        while (fact := picker(pairs, known, content, skipped)) is not None:
            asked += 1
            if fact in person:
                known[fact] = person[fact]
            else:
                skipped.add(fact)
        counts.append(asked)
    return counts


def main() -> None:
    content = load_content()
    people = [p.facts for p in PERSONAS.values()] + [
        with_changes(PERSONAS[v.persona].facts, v.changes) for v in VARIANTS
    ]
    form = fixed_form_size(content.tracks())
    print(f"personas: {len(people)}; fixed form: {form} questions for every persona")
    for name, picker in (("content order", content_order), ("decisive (bot)", next_question)):
        began = time.perf_counter()
        counts = run(picker, people, content)
        elapsed = time.perf_counter() - began
        mean = statistics.mean(counts)
        per_question = elapsed / max(sum(counts), 1) * 1000
        print(
            f"{name:15} mean {mean:5.2f}  max {max(counts):3}  mean/fixed form {mean / form:6.1%}"
            f"  max/fixed form {max(counts) / form:6.1%}  ({per_question:.2f} ms per question picked)"
        )


if __name__ == "__main__":
    main()
