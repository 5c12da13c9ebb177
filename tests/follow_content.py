"""Content folders with a round moved: what admins publish when an office announces its next round.

The shipped notices are from 2019–2023, so every window is closed at any date a test may pick after
them; a test opens one by moving its milestone as an admin would in the file: new dates, and the
item marked ``basis: office`` (the office's own announcement, not the old notice's words, which no
longer state these dates).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from dialogs.loader import SHIPPED

SHANXI = "sx-state-allowance-2023"
#: The Shanxi program's applicant-facing milestone (both tracks face it).
SHANXI_WINDOW = "city-materials"


def move_window(
    folder: Path, program: str, milestone: str, closes: str, *, opens: str | None = None, time: str | None = None
) -> Path:
    """Give ``milestone`` of ``program`` (in the content ``folder``) new dates (``YYYY-MM-DD``, and a
    closing time ``HH:MM`` if given); returns the program file."""
    file = folder / "programs" / f"{program}.yaml"
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"  - id: {milestone}\n")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id:") or not lines[i].startswith(" ")),
        len(lines),
    )
    block: list[str] = []
    in_quote = False
    for line in lines[start:end]:
        if in_quote and line.startswith("      - "):
            continue
        in_quote = False
        if line.startswith("    quote:"):
            in_quote = True
            continue
        if line.startswith(("    opens:", "    basis:")):
            continue
        if line.startswith("    closes:"):
            moment = f"{{date: {closes}" + (f', time: "{time}"' if time else "") + "}"
            block.append(f"    closes: {moment}\n")
            if opens is not None:
                block.append(f"    opens: {{date: {opens}}}\n")
            continue
        if line.startswith("    source:"):
            block.append("    basis: office\n")
        block.append(line)
    block = _without_note(block)
    file.write_text("".join(lines[:start] + block + lines[end:]), encoding="utf-8")
    return file


def _without_note(block: list[str]) -> list[str]:
    """The milestone's note goes: it restates the old notice's dates in words."""
    kept: list[str] = []
    skipping = False
    for line in block:
        if line.startswith("    note:"):
            skipping = True
            continue
        if skipping and re.match(r"^      \S", line):
            continue
        skipping = False
        kept.append(line)
    return kept


def opened(root: Path, closes: str, *, opens: str | None = None) -> Path:
    """A copy of the shipped content in ``root`` whose Shanxi round runs until ``closes`` (a whole day)."""
    folder = root / "content"
    shutil.copytree(SHIPPED, folder)
    move_window(folder, SHANXI, SHANXI_WINDOW, closes, opens=opens)
    return folder


def add_track(folder: Path, program: str, track: str, title: str) -> None:
    """A track added to ``program``, facing the program's window (as an office adds a category)."""
    file = folder / "programs" / f"{program}.yaml"
    text = file.read_text(encoding="utf-8")
    entry = (
        f"  - id: {track}\n"
        f"    title: {{zh: {title}, en: {title}, ug: {title}}}\n"
        f"    summary: {{zh: {title}, en: {title}, ug: {title}}}\n"
    )
    rule = (
        f"  - id: {track}-age\n"
        f"    tracks: [{track}]\n"
        f"    text: {{zh: 不超过40岁, en: Aged 40 or under, ug: 40 ياش ياكى ئۇنىڭدىن تۆۋەن}}\n"
        f"    rule: {{fact: age, lte: 40}}\n"
        f"    basis: office\n"
        f"    source: §二(四)\n"
    )
    text = text.replace("\ntracks:\n", f"\ntracks:\n{entry}", 1)
    file.write_text(text.replace("\nrequirements:\n", f"\nrequirements:\n{rule}", 1), encoding="utf-8")
