"""What a verdict leaves open, in the reader's language: answers still needed, lists nobody has, reviewers.

A verdict from the rules is not the whole story. An undecided one waits for
answers that can still change it (exactly those, :mod:`dialogs.relevance`), or
for a list the notice names but does not contain (an annex the applicant does
not have): then the dialog cannot ask, and says so and whom to ask. And every
program leaves some conditions to its reviewers (``assessed``: health,
political standing, merit): the verdict, the requirements screen and the staff
notice name them, one short line each.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from dialogs.eligibility import Assessment, Verdict
from dialogs.facts import FactValue
from dialogs.i18n import Translator
from dialogs.relevance import StillNeeded, still_needed
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program, Track, applies_to
from dialogs.schema_rules import Assessed

#: Characters a reviewer condition may take on its line before it is cut at a clause: Chinese packs
#: a clause into far fewer characters than English or Uyghur.
SHORT_LIMIT = {"zh": 24, "en": 70, "ug": 70}
_CLAUSE_ENDS = "；;。"
_CLAUSE_BREAKS = "，,、"


def reviewer_conditions(program: Program, track: Track | None) -> list[Assessed]:
    """The conditions the notice leaves to reviewers for this track (every track's when none is chosen)."""
    return [a for a in program.assessed if track is None or applies_to(a.tracks, track.id)]


def short_condition(condition: Assessed, lang: str) -> str:
    """One line for a condition: its title, else its text, cut after its first clause when long."""
    if condition.title is not None:
        return condition.title.get(lang)
    return shorten(condition.text.get(lang), SHORT_LIMIT.get(lang, SHORT_LIMIT["en"]))


@functools.lru_cache(maxsize=4096)
def shorten(text: str, limit: int) -> str:
    """``text`` when it fits in ``limit`` characters; else up to the end of its first clause that
    fits, or the last break (comma) past half the limit, or the last space, with an ellipsis. Words
    are never cut. Remembered: the texts are the content's, shortened on every screen that lists them."""
    if len(text) <= limit:
        return text
    ends = [i for i, ch in enumerate(text[: limit + 1]) if ch in _CLAUSE_ENDS]
    if ends:
        return text[: ends[0]].rstrip() + "…"
    breaks = [i for i, ch in enumerate(text[: limit + 1]) if ch in _CLAUSE_BREAKS]
    if breaks and (breaks[-1] >= limit // 2 or " " not in text[: limit + 1]):
        return text[: breaks[-1]].rstrip() + "…"
    spaces = [i for i, ch in enumerate(text[: limit + 1]) if ch == " "]
    cut = spaces[-1] if spaces else limit
    return text[:cut].rstrip(" ,;") + "…"


def reviewer_lines(program: Program, track: Track | None, tr: Translator) -> list[str]:
    """ "Reviewers will also judge:" and one line per condition with its clause; nothing when none."""
    return condition_lines(program, reviewer_conditions(program, track), tr)


def condition_lines(program: Program, conditions: list[Assessed], tr: Translator) -> list[str]:
    """ "Reviewers will also judge:" and one line per condition of ``conditions``; nothing when none."""
    if not conditions:
        return []
    lines = [tr.gettext("Reviewers will also judge:")]
    lines += [f"- {short_condition(c, tr.lang)} [{program.cite(c.source)}]" for c in conditions]
    return lines


def needed(assessment: Assessment, facts: Mapping[str, FactValue], registry: Mapping[str, FactDef]) -> StillNeeded:
    """The answers and the lists an undecided verdict still waits for (nothing for a decided one)."""
    if assessment.verdict is not Verdict.UNDETERMINED:
        return StillNeeded((), ())
    return still_needed(assessment, facts, registry)


def waits_on_lists_only(needs: StillNeeded) -> bool:
    """No answer the applicant can give would decide: only lists the notice does not contain."""
    return not needs.facts and bool(needs.lists)


def open_verdict_label(needs: StillNeeded, tr: Translator) -> str | None:
    """The verdict's wording when only a missing list can decide it (``None``: the usual wording fits)."""
    if waits_on_lists_only(needs):
        return tr.gettext("not decided: depends on a list the notice does not include")
    return None


def needed_lines(needs: StillNeeded, registry: Mapping[str, FactDef], tr: Translator) -> list[str]:
    """ "Still unknown: …" naming exactly the answers that can change the verdict; then each list the
    verdict depends on, which nobody can answer from the notice. Whom to ask is said once by the caller,
    in the reply's one contact paragraph (:func:`dialogs.explain.ask_line`)."""
    _ = tr.gettext
    lines: list[str] = []
    if needs.facts:
        labels = [registry[f].label.get(tr.lang) for f in needs.facts]
        lines.append(_("Still unknown: {facts}.").format(facts=tr.format_list(labels)))
    names = [text.get(tr.lang) for f in needs.lists if (text := registry[f].needs_list) is not None]
    for name in dict.fromkeys(names):
        lines.append(
            _("It depends on {list}: the notice refers to it but does not include it, so I cannot ask you.").format(
                list=name
            )
        )
    return lines
