"""Shared fixtures: the shipped content, a writable copy of it, and the CLI as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dialogs.loader import SHIPPED, Content, load_content

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content folder, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(SHIPPED, target)
    return target


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run ``python -m bot`` as a user would, in a clean environment."""
    full_env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DEFAULT_LOCALE", "BOT_DEBUG"}}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture()
def cli():
    return run_cli
