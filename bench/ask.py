"""How well and how fast free questions are answered, over the labelled set in tests/data/questions.yaml.

Run: ``.venv/bin/python bench/ask.py [--misses]``. Prints accuracy overall, per
intent and per language (intent, program and the asked fact all right), then
answer latency: the cold start (first answer, loading the converter and the
catalogs) and p50/p99 per question over several rounds. Times are printed, never
asserted.
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
from dialogs.answers import answer  # noqa: E402
from dialogs.loader import load_content  # noqa: E402
from tests.ask_eval import evaluate, load_questions  # noqa: E402

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROUNDS = 5


def percent(ok: int, total: int) -> str:
    return f"{ok}/{total} = {100 * ok / total:.1f}%" if total else "0/0"


def main(argv: list[str]) -> int:
    content = load_content()
    questions = load_questions()

    began = time.perf_counter()
    answer(questions[0].q, content, NOW, translator(questions[0].lang))
    cold = time.perf_counter() - began

    report = evaluate(content, NOW, questions)
    print(f"accuracy: {percent(*report.accuracy())}")
    print("  intent right:  " + percent(sum(s.intent_ok for s in report.scored), len(report.scored)))
    print("  program right: " + percent(sum(s.program_ok for s in report.scored), len(report.scored)))
    print("  fact in reply: " + percent(sum(s.fact_ok for s in report.scored), len(report.scored)))
    for title, key in (("per intent", lambda s: s.item.intent), ("per language", lambda s: s.item.lang)):
        print(title + ":")
        for group, (ok, total) in report.by(key).items():
            print(f"  {group:12} {percent(ok, total)}")
    if "--misses" in argv:
        print("misses:")
        for s in report.misses():
            wrong = [name for name, good in (("intent", s.intent_ok), ("program", s.program_ok), ("fact", s.fact_ok)) if not good]
            print(f"  [{', '.join(wrong)}] {s.item.q!r}: want {s.item.intent}/{s.item.program or s.item.ambiguous}, got {s.got.intent}/{s.got.program or s.got.choices}")

    timings = []
    for _ in range(ROUNDS):
        for item in questions:
            tr = translator(item.lang)
            start = time.perf_counter()
            answer(item.q, content, NOW, tr)
            timings.append(time.perf_counter() - start)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(0.99 * (len(timings) - 1))]
    print(f"latency over {len(questions)} questions x {ROUNDS}: cold start {cold * 1000:.1f} ms, p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
