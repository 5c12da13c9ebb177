"""The terminal channel and the command line start without the Telegram libraries (aiogram's import
alone takes seconds and ~150 MB), Alembic when there is nothing to migrate, or the pypinyin package (its
phrase dictionary, ~45 MB: only its table of readings is read). A restart on cached content loads only
what its first reply needs: no YAML reader or content checks, no PostgreSQL dialect on SQLite, no catalog
compiler, no phone-number or file-type library, no content commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Runs the command line in-process, then says which of the watched modules (``WATCHED``, comma-separated
#: names: a package counts with its submodules) it imported.
PROBE = """
import json, os, sys
from bot.cli import main
code = main(sys.argv[1:])
watched = os.environ["WATCHED"].split(",")
heavy = sorted({w for w in watched for name in sys.modules if name == w or name.startswith(w + ".")})
print("PROBE " + json.dumps({"code": code, "heavy": heavy}))
"""
HEAVY = ("aiogram", "telegram", "alembic", "pypinyin")
#: Imported where they are used, and a restart's first reply uses none of them.
LAZY = (
    "yaml",
    "dialogs.yamlfile",
    "dialogs.prose_check",
    "dialogs.quotes",
    "dialogs.schema_staff",
    "sqlalchemy.dialects.postgresql",
    "asyncpg",
    "babel.messages",
    "phonenumbers",
    "filetype",
    "olefile",
    "bot.cli_content",
)


def probe(tmp_path: Path, *args: str, stdin: str = "", watched: tuple[str, ...] = HEAVY) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET")}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        FILES_DIR=str(tmp_path / "files"),
        PYTHONPATH=str(ROOT),
        WATCHED=",".join(watched),
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


def test_a_restart_of_the_terminal_channel_imports_nothing_its_first_reply_does_not_use(tmp_path: Path) -> None:
    # the first start reads the YAML, checks it and compiles the catalogs; both are kept for the next one
    first = probe(tmp_path, stdin="/help\n", watched=LAZY)
    assert first["code"] == 0 and {"yaml", "babel.messages"} <= set(first["heavy"])  # type: ignore[arg-type]
    assert probe(tmp_path, stdin="/help\n", watched=LAZY) == {"code": 0, "heavy": []}
