"""How well and how fast free questions are answered, over the labelled sets in tests/data.

Run: ``.venv/bin/python bench/ask.py [--misses] [--set dev|held-out|ug|blind]``
(``--set`` measures one set; by default the three gated sets; ``blind`` is the set
written for issue 15 from the notices alone, kept out of the gates).

Prints accuracy overall, for Chinese and English together (the tests' 95% gate)
and for Uyghur (their 90% gate), per set (dev, held-out, ug), per intent and per
language (intent, program and the asked fact all right), then answer latency:

- the cold start: loading the content, building its question index and the
  first answer (the converter, the pinyin table and the catalogs load then);
- p50 and p99 per question over several rounds, on the shipped content (the
  baseline) and on the same content with FAQ entries added up to 1,000, with
  the ratio of each to the baseline measured in the same process; the
  baseline also per language group (Chinese and English, Uyghur).

Times are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.i18n import translator  # noqa: E402
from dialogs import question_reading  # noqa: E402
from dialogs.answers import answer  # noqa: E402
from dialogs.loader import Content, load_content  # noqa: E402
from dialogs.question_index import index_for  # noqa: E402
from dialogs.schema import Text  # noqa: E402
from dialogs.schema_questions import Faq, Phrasings  # noqa: E402
from tests.ask_eval import ALL_SETS, Labelled, evaluate, load_questions  # noqa: E402

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROUNDS = 5
FAQ_TARGET = 1000


def percent(ok: int, total: int) -> str:
    return f"{ok}/{total} = {100 * ok / total:.1f}%" if total else "0/0"


def scaled(content: Content, target: int = FAQ_TARGET) -> Content:
    """The content with FAQ entries added until there are ``target``: each asks about one of the
    program's own clauses in several phrasings, so the vocabulary is the notices' own, as a real
    FAQ's would be (the worst case for the index: every entry shares words with real questions)."""
    sources = []
    for program in content.programs:
        for item in (*program.requirements, *program.documents, *program.benefits, *program.quotas, *program.apply):
            text = item.name if hasattr(item, "name") else item.text  # documents have a name, the rest a text
            sources.append((program.id, item.id, text, item.source))
    existing = sum(len(p.faq) for p in content.programs) + len(content.faq)
    extra: dict[str, list[Faq]] = {p.id: list(p.faq) for p in content.programs}
    for n in range(target - existing):
        program_id, item_id, text, source = sources[n % len(sources)]
        zh, en = text.zh, text.en or text.zh
        head, tail = zh[: 6 + n % 7], zh[-(4 + n % 5) :]
        extra[program_id].append(
            Faq(
                id=f"bench-{n}",
                intent=("eligibility", "documents", "benefit", "quota", "apply")[n % 5],
                q=Phrasings(
                    zh=(f"{head}是什么意思", f"关于{tail}怎么理解", f"{head}{tail}有什么规定", f"第{n}条{head}"),
                    en=(f"what does {' '.join(en.split()[:5])} mean", f"rule {n} about {' '.join(en.split()[-4:])}"),
                ),
                a=Text(zh=f"{zh}（{item_id}）", en=en),
                source=source,
            )
        )
    programs = tuple(p.model_copy(update={"faq": tuple(extra[p.id])}) for p in content.programs)
    return Content(
        facts=content.facts,
        programs=programs,
        version=content.version + "-faq",
        warnings=content.warnings,
        staff_chats=content.staff_chats,
        lexicon=content.lexicon,
        faq=content.faq,
    )


def latencies(
    content: Content, questions: list[Labelled], by_lang: dict[str, list[float]] | None = None
) -> list[float]:
    """Sorted answer times; ``by_lang`` (if given) collects them per question language too."""
    index_for(content)  # built once per content version, like the bot does at load
    timings = []
    for _ in range(ROUNDS):
        for item in questions:
            tr = translator(item.lang)
            question_reading.forget_readings()  # measure the reading itself, not the cache of recent ones
            start = time.perf_counter()
            answer(item.q, content, NOW, tr)
            timings.append(time.perf_counter() - start)
            if by_lang is not None:
                by_lang.setdefault(item.lang, []).append(timings[-1])
    return sorted(timings)


def p(timings: list[float], q: float) -> float:
    return timings[int(q * (len(timings) - 1))]


def main(argv: list[str]) -> int:
    chosen = argv[argv.index("--set") + 1] if "--set" in argv else None
    if chosen is not None and chosen not in ALL_SETS:
        print(f"unknown set {chosen!r}: one of {', '.join(ALL_SETS)}", file=sys.stderr)
        return 2
    questions = load_questions(ALL_SETS[chosen] if chosen else None)

    began = time.perf_counter()
    content = load_content()
    loaded = time.perf_counter()
    index_for(content)
    indexed = time.perf_counter()
    answer(questions[0].q, content, NOW, translator(questions[0].lang))
    first = time.perf_counter()
    print(
        f"cold start: load content {1000 * (loaded - began):.0f} ms, build index {1000 * (indexed - loaded):.0f} ms,"
        f" first answer {1000 * (first - indexed):.0f} ms"
    )

    report = evaluate(content, NOW, questions)
    print(f"accuracy: {percent(*report.accuracy())}")
    print("  zh+en:         " + percent(*report.accuracy(lambda s: s.item.lang in ("zh", "en"))))
    print("  ug:            " + percent(*report.accuracy(lambda s: s.item.lang == "ug")))
    print("  intent right:  " + percent(sum(s.intent_ok for s in report.scored), len(report.scored)))
    print("  program right: " + percent(sum(s.program_ok for s in report.scored), len(report.scored)))
    print("  fact in reply: " + percent(sum(s.fact_ok for s in report.scored), len(report.scored)))
    for title, key in (
        ("per set", lambda s: s.item.set),
        ("per intent", lambda s: s.item.intent),
        ("per language", lambda s: s.item.lang),
    ):
        print(title + ":")
        for group, (ok, total) in report.by(key).items():
            print(f"  {group:12} {percent(ok, total)}")
    if "--misses" in argv:
        print("misses:")
        for s in report.misses():
            wrong = [
                name
                for name, good in (("intent", s.intent_ok), ("program", s.program_ok), ("fact", s.fact_ok))
                if not good
            ]
            print(
                f"  [{', '.join(wrong)}] ({s.item.set}) {s.item.q!r}: want {s.item.intent}/{s.item.program or s.item.ambiguous},"
                f" got {s.got.intent}/{s.got.program or s.got.choices}"
            )

    per_lang: dict[str, list[float]] = {}
    base = latencies(content, questions, per_lang)
    big = scaled(content)
    began = time.perf_counter()
    index_for(big)
    built = time.perf_counter() - began
    faq_count = sum(len(p.faq) for p in big.programs) + len(big.faq)
    scaled_times = latencies(big, questions)
    big_report = evaluate(big, NOW, questions)
    n = len(base)
    print(f"latency per question ({len(questions)} questions x {ROUNDS} rounds = {n} answers):")
    print(f"  shipped content (baseline):  p50 {1000 * p(base, 0.5):.2f} ms, p99 {1000 * p(base, 0.99):.2f} ms")
    for title, langs in (("zh+en", ("zh", "en")), ("ug", ("ug",))):
        group = sorted(t for lang in langs for t in per_lang.get(lang, ()))
        if group:
            print(
                f"    {title:6} ({len(group)} answers):     p50 {1000 * p(group, 0.5):.2f} ms, p99 {1000 * p(group, 0.99):.2f} ms"
            )
    print(
        f"  with {faq_count} FAQ entries:    p50 {1000 * p(scaled_times, 0.5):.2f} ms, p99 {1000 * p(scaled_times, 0.99):.2f} ms"
        f"  (x{p(scaled_times, 0.5) / p(base, 0.5):.2f} / x{p(scaled_times, 0.99) / p(base, 0.99):.2f} the baseline;"
        f" index built in {1000 * built:.0f} ms)"
    )
    print(f"  accuracy with {faq_count} FAQ entries: {percent(*big_report.accuracy())}")
    print(
        f"  mean {1000 * statistics.mean(base):.2f} ms baseline, {1000 * statistics.mean(scaled_times):.2f} ms scaled"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
