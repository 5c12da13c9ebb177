"""The terminal channel and the command line start without the Telegram libraries (aiogram's import
alone takes seconds and ~150 MB), Alembic when there is nothing to migrate, or the pypinyin package (its
phrase dictionary, ~45 MB: only its table of readings is read)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Runs the command line in-process, then says which of the heavy packages it imported.
PROBE = """
import json, sys
from bot.cli import main
code = main(sys.argv[1:])
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"aiogram", "telegram", "alembic", "pypinyin"})
print("PROBE " + json.dumps({"code": code, "heavy": heavy}))
"""


def probe(tmp_path: Path, *args: str, stdin: str = "") -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET")}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        FILES_DIR=str(tmp_path / "files"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    [line] = [line for line in done.stdout.splitlines() if line.startswith("PROBE ")]
    result: dict[str, object] = json.loads(line.removeprefix("PROBE "))
    return result


def test_the_terminal_channel_never_imports_a_telegram_library(tmp_path: Path) -> None:
    assert probe(tmp_path, stdin="/help\n") == {"code": 0, "heavy": ["alembic"]}  # a new database is migrated
    # restarted on a database at the newest schema: not even the migration tool is loaded
    assert probe(tmp_path, stdin="/help\n") == {"code": 0, "heavy": []}


@pytest.mark.parametrize(
    "args",
    [("programs",), ("ask", "援疆项目什么时候截止"), ("content", "check")],
)
def test_the_command_line_never_imports_a_telegram_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    assert probe(tmp_path, *args) == {"code": 0, "heavy": []}
