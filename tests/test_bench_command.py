"""``python -m bench`` (the README's one benchmark command) still runs every bench and fills every row.

Benchmarks are not run by the suite, so a bench whose output changed, or that broke, would otherwise
only be noticed the next time someone wants figures. ``--smoke`` runs them all at tiny sizes, side
by side; the figures it prints mean nothing and none is checked, only that each row got one.
"""

from __future__ import annotations

import re
import subprocess
import sys

from bench.__main__ import ROWS
from tests.conftest import ROOT


def test_the_one_bench_command_fills_every_row_of_the_table():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in done.stdout.splitlines() if line.startswith("| ")}
    for row in ROWS:
        if row.bench == "workers":  # only with --workers: the 3-worker test has its own place in the suite
            continue
        assert row.what in rows, f"no row {row.what!r} in:\n{done.stdout[-4000:]}"
        assert "no figure" not in rows[row.what], rows[row.what]
        assert re.search(r"\d", rows[row.what].split(" | ")[2]), rows[row.what]


def test_the_readme_gives_the_one_command_first_in_its_benchmarks_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Benchmarks\n", 1)[1].split("\n## ", 1)[0]
    first = re.search(r"```sh\n(.*?)\n", section)
    assert first is not None and first[1].split("#")[0].strip().endswith("python -m bench"), section[:400]
